// The Export to Confluence button under a posted postmortem.

import { AppError } from '../../app/errors';
import type { BotServices } from '../../app/services';
import { EXPORT_CONFLUENCE_ACTION } from '../../blocks/ids';
import { queueExport } from '../../usecases/lifecycle';
import type { ButtonPress } from './button';

export function exportPostmortemButton(services: BotServices): Record<string, ButtonPress> {
  return {
    [EXPORT_CONFLUENCE_ACTION]: async ({ userId, value }) => {
      const incident = await services.deps.store.getIncident(value);
      if (!incident) throw new AppError('not_found', 'That incident no longer exists.');
      return queueExport(services.deps, incident, userId, 'confluence');
    },
  };
}
