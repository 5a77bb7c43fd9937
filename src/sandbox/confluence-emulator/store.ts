// The site's content, shared by both APIs: spaces, pages, and the rules Confluence enforces on
// them (one current page per title in a space, versions that go up by one, well-formed bodies).
// Each API turns a `ContentProblem` into its own error shape.
import { storageFormatError } from './storage-format';
import type { EmulatedPage, EmulatedSpace } from './types';

export type ProblemKind = 'space_not_found' | 'page_not_found' | 'parent_not_found' | 'title_taken' | 'version_conflict' | 'invalid_storage';

export class ContentProblem extends Error {
  constructor(
    readonly kind: ProblemKind,
    message: string,
    /** What the message is about: a space key, a page id, a title. */
    readonly subject: string,
    /** The space the problem arose in, when there is one (Data Center names it in title clashes). */
    readonly spaceKey?: string,
  ) {
    super(message);
  }
}

export interface PageWrite {
  title: string;
  body: string;
  versionMessage?: string;
}

/** Confluence treats titles that differ only in case as the same title within a space. */
function sameTitle(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export class ContentStore {
  private readonly spacesByKey = new Map<string, EmulatedSpace>();
  private readonly pagesById = new Map<string, EmulatedPage>();
  // Distinct ranges, so a page id sent where a space id belongs finds nothing instead of a space.
  private nextSpaceId = 131073;
  private nextPageId = 65537;

  constructor(private readonly now: () => Date = () => new Date()) {}

  addSpace(key: string, name: string): EmulatedSpace {
    if (this.spacesByKey.has(key)) throw new Error(`Space ${key} already exists in the emulated Confluence`);
    const space: EmulatedSpace = { id: String(this.nextSpaceId++), key, name, homepageId: '' };
    this.spacesByKey.set(key, space);
    space.homepageId = this.insert(space, undefined, { title: `${name} Home`, body: '' }).id;
    return space;
  }

  spaces(): EmulatedSpace[] {
    return [...this.spacesByKey.values()];
  }

  space(key: string): EmulatedSpace | undefined {
    return this.spacesByKey.get(key);
  }

  spaceById(id: string): EmulatedSpace | undefined {
    return this.spaces().find((s) => s.id === id);
  }

  /** Any page, trashed ones included; the live record. */
  page(id: string): EmulatedPage | undefined {
    return this.pagesById.get(id);
  }

  /** A page the API can see: current, not in the trash. */
  currentPage(id: string): EmulatedPage {
    const page = this.pagesById.get(id);
    if (!page || page.status !== 'current') throw new ContentProblem('page_not_found', `No content found with id: ${id}`, id);
    return page;
  }

  pages(): EmulatedPage[] {
    return [...this.pagesById.values()];
  }

  isHomepage(page: EmulatedPage): boolean {
    return this.space(page.spaceKey)?.homepageId === page.id;
  }

  findByTitle(spaceKey: string, title: string): EmulatedPage | undefined {
    return this.pages().find((p) => p.spaceKey === spaceKey && p.status === 'current' && sameTitle(p.title, title));
  }

  create(spaceKey: string, parentId: string | undefined, write: PageWrite): EmulatedPage {
    const space = this.space(spaceKey);
    if (!space) throw new ContentProblem('space_not_found', `No space with key : ${spaceKey}`, spaceKey);
    if (parentId !== undefined) {
      const parent = this.pagesById.get(parentId);
      if (!parent || parent.status !== 'current' || parent.spaceKey !== spaceKey) {
        throw new ContentProblem('parent_not_found', 'The parent ID specified does not exist, or user does not have permissions', parentId);
      }
    }
    this.checkBody(write.body);
    this.checkTitleFree(space, write.title);
    return this.insert(space, parentId, write);
  }

  update(id: string, version: number, write: PageWrite): EmulatedPage {
    const page = this.currentPage(id);
    if (version !== page.version + 1) {
      throw new ContentProblem('version_conflict', `Version must be incremented on update. Current version is: ${page.version}`, id, page.spaceKey);
    }
    this.checkBody(write.body);
    const space = this.space(page.spaceKey);
    if (space) this.checkTitleFree(space, write.title, id);
    Object.assign(page, { title: write.title, body: write.body, version, versionMessage: write.versionMessage, updatedAt: this.now().toISOString() });
    return page;
  }

  /** Moves the page to the space's trash, as deleting it in the UI does; it keeps its id. */
  trash(id: string): EmulatedPage {
    const page = this.currentPage(id);
    page.status = 'trashed';
    page.updatedAt = this.now().toISOString();
    return page;
  }

  private checkBody(body: string): void {
    const error = storageFormatError(body);
    if (error) throw new ContentProblem('invalid_storage', error, body);
  }

  /** Trashed pages do not hold on to their titles (restoring one renames it if need be). */
  private checkTitleFree(space: EmulatedSpace, title: string, exceptId?: string): void {
    const holder = this.findByTitle(space.key, title);
    if (holder && holder.id !== exceptId) throw new ContentProblem('title_taken', 'A page with this title already exists', title, space.key);
  }

  private insert(space: EmulatedSpace, parentId: string | undefined, write: PageWrite): EmulatedPage {
    const at = this.now().toISOString();
    const page: EmulatedPage = {
      id: String(this.nextPageId++),
      spaceId: space.id,
      spaceKey: space.key,
      ...(parentId !== undefined ? { parentId } : {}),
      title: write.title,
      version: 1,
      ...(write.versionMessage ? { versionMessage: write.versionMessage } : {}),
      body: write.body,
      status: 'current',
      createdAt: at,
      updatedAt: at,
    };
    this.pagesById.set(page.id, page);
    return page;
  }
}
