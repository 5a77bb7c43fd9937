// The App Home tab over signed HTTP and over Socket Mode: opening it publishes the person's open
// incidents, every open incident they may see (a private one only to its channel's members) and
// recent postmortems with their Confluence links; its Declare button opens the declare form.

import { HOME_DECLARE_ACTION } from '../../src/blocks/ids';
import type { ConfluenceEmulator } from '../../src/sandbox/confluence-emulator';
import { autoExportingConfluence } from '../support/confluence-fixture';
import { PEOPLE, startFixture, type Fixture } from '../support/sandbox-fixture';

const TOKEN = 'confluence-home-token-01';

/** The tab's text, block by block, as a person reads it. */
function homeText(f: Fixture, userId: string): string[] {
  const view = f.emulator.homeView(userId);
  const blocks = (view?.blocks ?? []) as { text?: { text?: string }; elements?: { text?: unknown }[] }[];
  return blocks.map((b) => b.text?.text ?? (b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : JSON.stringify(e.text))).join(' '));
}

describe.each(['http', 'socket'] as const)('the App Home tab (%s)', (transport) => {
  let f: Fixture;
  let confluence: ConfluenceEmulator;

  beforeEach(async () => {
    const site = await autoExportingConfluence(TOKEN);
    confluence = site.emulator;
    f = await startFixture({ transport, ...site.options });
  });
  afterEach(async () => {
    await f.stop();
    await confluence.stop();
  });

  it('when people open the tab, then each sees their incidents, the open ones they may see, and recent postmortems with links', async () => {
    const checkout = await f.declare('Checkout errors sev2');
    const search = await f.declare('Search slow --private', PEOPLE.bob.id);
    const old = await f.declare('Old outage', PEOPLE.cid.id);
    await f.actor.slashCommand(PEOPLE.cid.id, old.channelId, 'close All done');
    await f.settle();
    const page = (await f.store.findIncidentByChannel(old.channelId))?.confluencePage;
    expect(page).toBeDefined();

    expect((await f.actor.openHome(PEOPLE.ann.id)).status).toBe(200);
    const ann = homeText(f, PEOPLE.ann.id);
    const mineAt = ann.indexOf('*Your open incidents*');
    const allAt = ann.findIndex((t) => t.startsWith('*All open incidents*'));
    const recentAt = ann.indexOf('*Recent postmortems*');
    expect(ann.slice(mineAt + 1, allAt - 1)).toEqual([
      expect.stringMatching(new RegExp(`^:large_orange_circle: \\*INC-1\\* Checkout errors — sev2, investigating · <#${checkout.channelId}> · since .* · you are commander$`)),
    ]);
    // Bob's private incident is not Ann's to see.
    expect(ann[allAt]).toBe('*All open incidents* (1)');
    expect(ann.join('\n')).not.toContain('Search slow');
    expect(ann[recentAt + 1]).toMatch(/^\*INC-3\* Old outage — sev3 · closed .+ · <.+\|Postmortem on Confluence>$/);
    expect(ann[recentAt + 1]).toContain(`<${page?.url}|`);

    await f.actor.openHome(PEOPLE.bob.id);
    const bob = homeText(f, PEOPLE.bob.id);
    expect(bob.find((t) => t.includes('*INC-2*'))).toMatch(/Search slow :lock: — sev3, investigating .* you are commander$/);
    expect(bob).toContain('*All open incidents* (2)');

    // Once Bob adds Ann to the private channel (in Slack), it is hers to see too.
    f.emulator.workspace.directory.join(search.channelId, PEOPLE.ann.id);
    await f.actor.openHome(PEOPLE.ann.id);
    expect(homeText(f, PEOPLE.ann.id)).toContain('*All open incidents* (2)');
  });

  it('when the Declare button is pressed, then the declare form opens and submitting it declares, answered by DM', async () => {
    await f.actor.openHome(PEOPLE.ann.id);
    expect(homeText(f, PEOPLE.ann.id)).toContain('None: nothing you run, declared or hold a role in is open.');

    const pressed = await f.actor.clickHomeButton(PEOPLE.ann.id, { actionId: HOME_DECLARE_ACTION });
    expect(pressed.status).toBe(200);
    const view = f.emulator.views().at(-1)!;
    expect(view.view.callback_id).toBe('incident_declare');
    await f.actor.submitView(PEOPLE.ann.id, {
      id: view.id,
      private_metadata: String(view.view.private_metadata),
      values: {
        title_block: { title: { type: 'plain_text_input', value: 'Payments failing' } },
        severity_block: { severity: { type: 'static_select', selected_option: { value: 'sev1' } } },
        description_block: { description: { type: 'plain_text_input', value: '' } },
      },
    });
    await f.settle();

    const [incident] = await f.store.listOpenIncidents(f.emulator.identity.teamId);
    expect(incident).toMatchObject({ title: 'Payments failing', severity: 'sev1', commanderId: PEOPLE.ann.id });
    expect(incident?.declaredFromChannelId).toBeUndefined();
    expect(f.emulator.directMessages(PEOPLE.ann.id).some((m) => m.text.includes(`<#${incident!.chat!.channelId}>`))).toBe(true);
    await f.actor.openHome(PEOPLE.ann.id);
    expect(homeText(f, PEOPLE.ann.id).some((t) => t.includes('*INC-1* Payments failing'))).toBe(true);
  });
});
