import { AppError } from './errors';
import { incidentKey, isOpen, type Incident } from '../domain/incident';
import type { IncidentStore } from '../ports/incident-store';

/** The incident whose channel the command was typed in, or a clear error telling where to go. */
export async function incidentForChannel(store: IncidentStore, channelId: string, command: string): Promise<Incident> {
  const incident = await store.findIncidentByChannel(channelId);
  if (!incident) throw notInIncidentChannel(command);
  return incident;
}

function notInIncidentChannel(command: string): AppError {
  return new AppError('not_in_incident_channel', `\`/incident ${command}\` works inside an incident channel. Run it there, or see open incidents with \`/incident list\`.`);
}

/** As `incidentForChannel`, for commands that need only the id (a note): the cheap, remembered lookup. */
export async function incidentIdForChannel(store: IncidentStore, channelId: string, command: string): Promise<string> {
  const incidentId = await store.incidentIdForChannel(channelId);
  if (!incidentId) throw notInIncidentChannel(command);
  return incidentId;
}

/** As `incidentForChannel`, and the incident must not be closed yet. */
export async function openIncidentForChannel(store: IncidentStore, channelId: string, command: string): Promise<Incident> {
  const incident = await incidentForChannel(store, channelId, command);
  if (!isOpen(incident)) {
    throw new AppError(
      'incident_closed',
      `${incidentKey(incident)} is closed, so \`/incident ${command}\` cannot change it. Notes, impact, cause and action items can still be added; \`/incident postmortem\` recompiles the draft.`,
    );
  }
  return incident;
}
