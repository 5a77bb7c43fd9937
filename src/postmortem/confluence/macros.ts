// The Confluence-specific pieces of a storage-format page: the status lozenge, the callout that
// marks a missing fact, and the task list. Parameters and bodies go through the escaping builder.

import type { Severity } from '../../domain/incident';
import type { Placeholder } from '../model';
import { el, join, text, withAttributes, type Xml } from './xml';

/** Storage-format status colours (Grey is the macro's default when `colour` is absent). */
type StatusColour = 'Grey' | 'Red' | 'Yellow' | 'Green' | 'Blue';

const SEVERITY_COLOURS: Record<Severity, StatusColour> = { sev1: 'Red', sev2: 'Yellow', sev3: 'Blue', sev4: 'Grey' };

function parameter(name: string, value: string): Xml {
  return withAttributes('ac:parameter', { 'ac:name': name }, text(value));
}

function macro(name: string, ...children: Xml[]): Xml {
  return withAttributes('ac:structured-macro', { 'ac:name': name }, ...children);
}

/** The severity as a coloured lozenge: "SEV1" in red. */
export function severityLozenge(severity: Severity): Xml {
  return macro('status', parameter('colour', SEVERITY_COLOURS[severity]), parameter('title', severity.toUpperCase()));
}

const PLACEHOLDER_PREFIX: Record<Placeholder['reason'], string> = {
  'to-complete': 'To be completed',
  'not-captured': 'Not captured',
  ongoing: 'Ongoing',
};

/** "To be completed: describe the customer impact (/incident impact …)." — the words, unstyled. */
function placeholderWords(p: Placeholder): Xml {
  const stop = p.reason === 'to-complete' ? '.' : '';
  return join([el('strong', text(`${PLACEHOLDER_PREFIX[p.reason]}:`)), text(` ${p.hint}${stop}`)]);
}

/** A missing fact inside a sentence or a cell: italic, so it reads as an instruction, not content. */
export function inlinePlaceholder(p: Placeholder): Xml {
  return el('em', placeholderWords(p));
}

/**
 * A missing section body: a callout a reader cannot mistake for content. `note` (yellow) when a
 * person should write it, `info` (blue) when it is a fact the bot did not or cannot record yet.
 */
export function blockPlaceholder(p: Placeholder): Xml {
  return macro(p.reason === 'to-complete' ? 'note' : 'info', el('ac:rich-text-body', el('p', placeholderWords(p))));
}

/** Tasks, numbered from 1 (ids must be unique within the page); complete when their work is settled. */
/** `firstId`: task ids are unique on the page, so lists after the first start past the earlier ones. */
export function taskList(tasks: readonly { body: Xml; complete?: boolean }[], firstId = 1): Xml {
  const items = tasks.map(({ body, complete }, i) =>
    el('ac:task', el('ac:task-id', text(String(firstId + i))), el('ac:task-status', text(complete ? 'complete' : 'incomplete')), el('ac:task-body', body)),
  );
  return el('ac:task-list', ...items);
}
