// The Export to Confluence button under a posted postmortem.

import { AppError } from '../../usecases/errors';
import { EXPORT_CONFLUENCE_ACTION } from '../../blocks/ids';
import { queueExport } from '../../usecases/lifecycle';
import type { ButtonPress } from './button';

export function exportPostmortemButton(): Record<string, ButtonPress> {
  return {
    [EXPORT_CONFLUENCE_ACTION]: async ({ userId, value, deps }) => {
      const incident = await deps.store.getIncident(value);
      if (!incident) throw new AppError('not_found', 'That incident no longer exists.');
      return queueExport(deps, incident, userId, 'confluence');
    },
  };
}
