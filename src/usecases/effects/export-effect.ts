// Create or update the incident's Confluence page. One page per incident, ever: its id is stored
// with the incident, and a page created just before a crash is found again by its title and the
// incident id in its footer, so a retry updates it instead of creating a second one. A re-export
// keeps what reviewers wrote: sections edited by hand stay as they are (postmortem/confluence/page-blocks).

import { confluenceDisabledMessage } from '../../config/confluence-config';
import { incidentKey, type ExportedPage, type Incident } from '../../domain/incident';
import { isoDay } from '../../domain/time-format';
import { BOT_OWNED_BLOCKS, blockHashes, markedPage, mergeIntoPage, type MergedPage, type PageBlock } from '../../postmortem/confluence/page-blocks';
import { renderConfluenceBlocks } from '../../postmortem/render-confluence';
import { ConfluenceError, type ConfluencePage, type ConfluencePages } from '../../ports/confluence';
import { requireChat } from './channel-effects';
import type { EffectContext } from './effect-context';
import { compileCurrentPostmortem } from './postmortem-source';
import { link, said } from '../../domain/said';

const MAX_TITLE_SUFFIX = 20;

export function confluenceTitle(incident: Incident, timeZone: string): string {
  return `Postmortem: ${incidentKey(incident)} ${incident.title} (${isoDay(incident.declaredAt, timeZone)})`;
}

/** Identifies our page among others with the same title (and survives edits to the rest of it). */
export function pageMarker(incident: Incident): string {
  return `incident ${incident.id}`;
}

function withSuffix(title: string, n: number): string {
  return n === 1 ? title : `${title} (${n})`;
}

/** A page we created earlier but did not get to store (crash between create and save). */
async function findOurPage(pages: ConfluencePages, title: string, marker: string): Promise<ConfluencePage | 'taken' | undefined> {
  const found = await pages.findPageByTitle(title);
  if (!found) return undefined;
  return found.body.includes(marker) ? found : 'taken';
}

async function createOrAdopt(pages: ConfluencePages, title: string, body: string, marker: string): Promise<ConfluencePage> {
  const adopt = (page: ConfluencePage) => pages.updatePage({ pageId: page.id, title: page.title, body, version: page.version + 1 });
  for (let n = 1; n <= MAX_TITLE_SUFFIX; n++) {
    const candidate = withSuffix(title, n);
    const existing = await findOurPage(pages, candidate, marker);
    if (existing === 'taken') continue; // another page has this title: try the next suffix
    if (existing) return adopt(existing);
    try {
      return await pages.createPage({ title: candidate, body });
    } catch (error) {
      if (!(error instanceof ConfluenceError) || error.code !== 'title_taken') throw error;
      // Either someone else's page, or ours: a create whose answer was lost and then retried.
      const again = await findOurPage(pages, candidate, marker);
      if (again && again !== 'taken') return adopt(again);
    }
  }
  throw new ConfluenceError('title_taken', `every title from "${title}" to "${withSuffix(title, MAX_TITLE_SUFFIX)}" is taken in the space`);
}

function explain(error: ConfluenceError): string {
  switch (error.code) {
    case 'unauthorized':
      return 'Confluence refused the credentials (401): check the API token (or personal access token) and the email it belongs to.';
    case 'forbidden':
      return 'Confluence refused the export (403): check that the token’s user may create and edit pages in the space.';
    case 'space_not_found':
      return `${error.message}: check CONFLUENCE_SPACE_KEY.`;
    case 'not_found':
      return `${error.message}: check CONFLUENCE_PARENT_PAGE_ID.`;
    default:
      return `Confluence rejected the page: ${error.message}.`;
  }
}

const BLOCK_NAMES: Record<string, string> = {
  summary: 'the summary table',
  timeline: 'Timeline',
  escalations: 'Escalations',
  communications: 'Communications',
  measures: 'Corrective and Preventative Measures',
  metrics: 'Key Metrics',
  corrections: 'Corrections to the Record',
  footer: 'the footer',
};

/**
 * What to write over the page as it is now: the fresh render of every block still as we wrote it,
 * people's edits and additions kept (an untouched page comes out as the fresh render). A page
 * exported before blocks were marked can only be replaced while its version is still ours.
 */
function nextBody(current: { version: number; body: string }, previous: ExportedPage, blocks: PageBlock[]): MergedPage | 'edited-unmarked' {
  if (previous.blocks) return mergeIntoPage(current.body, blocks, previous.blocks);
  return current.version === previous.version ? { body: markedPage(blocks), hashes: blockHashes(blocks), keptEdits: [] } : 'edited-unmarked';
}

/** Hand edits in the sections the bot keeps up to date are kept, and said; prose edits are the point of the page. */
function keptNote(keptEdits: readonly string[]): string {
  const ours = keptEdits.filter((id) => BOT_OWNED_BLOCKS.has(id)).map((id) => BLOCK_NAMES[id] ?? id);
  if (ours.length === 0) return '';
  return `\n:pencil2: Someone edited ${ours.join(', ')} on Confluence: I kept their edit and did not update ${ours.length === 1 ? 'that section' : 'those sections'}. Undo the edit there to let the bot keep it current again.`;
}

export async function exportToConfluence(ctx: EffectContext, incident: Incident): Promise<void> {
  const chat = requireChat(incident);
  const { config, pages } = ctx.confluence;
  if (!config.enabled || !pages) {
    await ctx.chat.postMessage(chat.channelId, { text: `:warning: ${confluenceDisabledMessage(config.enabled ? [] : config.missing)}` });
    return;
  }
  const { model } = await compileCurrentPostmortem(ctx, incident);
  const marker = pageMarker(incident);
  const blocks = renderConfluenceBlocks(model, { footer: `Exported by Incident Commander from Slack · ${incidentKey(incident)} · ${marker}` });
  try {
    const previous = incident.confluencePage;
    const current = previous ? await pages.getPage(previous.pageId) : undefined;
    const next = current && previous ? nextBody(current, previous, blocks) : { body: markedPage(blocks), hashes: blockHashes(blocks), keptEdits: [] };
    if (next === 'edited-unmarked') {
      await ctx.chat.postMessage(chat.channelId, {
        text: `:warning: The Confluence page of ${incidentKey(incident)} was edited since the bot exported it, and it was exported before the bot marked its sections, so I left it as it is. To have the bot write it again, delete the page (or rename it) and export again.`,
      });
      return;
    }
    const page = current
      ? await pages.updatePage({ pageId: current.id, title: current.title, body: next.body, version: current.version + 1 })
      : await createOrAdopt(pages, confluenceTitle(incident, ctx.settings.timeZone), next.body, marker);
    const exported: ExportedPage = { pageId: page.id, title: page.title, url: page.url, version: page.version, exportedAt: ctx.clock.now(), blocks: next.hashes };
    // Tickets filed before the page existed do not point to it yet.
    const linkTickets = !current && ctx.tracker && incident.tickets?.some((t) => !t.gone);
    await ctx.store.applyChange({
      incidentId: incident.id,
      now: ctx.clock.now(),
      patch: { confluencePage: exported },
      ...(linkTickets ? { effects: [{ kind: 'tickets.link' }] } : {}),
    });
    const what = current ? `updated to version ${page.version}` : previous ? 'was deleted in Confluence, so I created a fresh page' : 'is on Confluence';
    await ctx.chat.postMessage(chat.channelId, {
      text: ctx.messages.text(said`:white_check_mark: The postmortem of ${incidentKey(incident)} ${what}: ${link(page.url, page.title)}${keptNote(next.keptEdits)}`),
    });
  } catch (error) {
    // Transient failures (429, 5xx, a concurrent edit) go back to the runner to retry with backoff.
    if (!(error instanceof ConfluenceError) || error.transient) throw error;
    ctx.logger.warn({ incidentId: incident.id, code: error.code, status: error.status }, 'Confluence export refused');
    await ctx.chat.postMessage(chat.channelId, {
      text: `:x: ${explain(error)} The postmortem is saved; press *Export to Confluence* again (or \`/incident export confluence\`) once that is fixed.`,
    });
  }
}
