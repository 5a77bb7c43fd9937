import type { IdFactory, TsClock } from './ids';
import type { EmulatedFile } from './types';

/** Files moving through upload v2: reserved by getUploadURLExternal, filled by the upload URL, shared on completion. */
export class FileStore {
  private readonly files = new Map<string, EmulatedFile>();

  constructor(
    private readonly ids: IdFactory,
    private readonly ts: TsClock,
  ) {}

  reserve(name: string, length: number, user: string): EmulatedFile {
    const file: EmulatedFile = {
      id: this.ids.next('F'),
      name,
      title: name,
      length,
      created: this.ts.seconds(),
      user,
      completed: false,
      channels: [],
    };
    this.files.set(file.id, file);
    return file;
  }

  /** A file a person shared from their computer: uploaded and shared in one step. */
  shared(name: string, title: string, content: string, user: string, channel: string): EmulatedFile {
    const file = this.reserve(name, Buffer.byteLength(content), user);
    Object.assign(file, { title, content, completed: true, channels: [channel] });
    return file;
  }

  file(id: string): EmulatedFile | undefined {
    return this.files.get(id);
  }

  all(): EmulatedFile[] {
    return [...this.files.values()];
  }

  /** Returns false when no upload was reserved under that id. */
  receive(id: string, content: Buffer): boolean {
    const file = this.files.get(id);
    if (!file) return false;
    file.content = content.toString('utf8');
    return true;
  }
}
