// Routes a parsed /incident command to its use case.

import { helpText, type IncidentCommand } from '../commands/grammar';
import type { Invocation, Reply, UseCaseDeps } from '../usecases/context';
import { declareIncident } from '../usecases/declare-incident';
import { escalate, listEscalations } from '../usecases/escalations';
import { addActionItem, recordCause, recordImpact } from '../usecases/findings';
import { changeSeverity, changeStatus, closeIncident, requestPostmortem, resolveIncident } from '../usecases/lifecycle';
import { acknowledge, assignRole, changeLead } from '../usecases/people';
import { listOpenIncidents, showTimeline } from '../usecases/queries';
import { recordNote } from '../usecases/record-note';
import { postUpdate } from '../usecases/updates';

/** `start` without a title and `update` without text are handled by the listener (they open a form). */
export async function dispatchCommand(deps: UseCaseDeps, who: Invocation, command: IncidentCommand): Promise<Reply> {
  switch (command.name) {
    case 'start':
      return (await declareIncident(deps, who, { title: command.title ?? '', severity: command.severity, isPrivate: command.isPrivate })).reply;
    case 'note':
      return recordNote(deps, who, command.text);
    case 'update':
      return postUpdate(deps, who, { known: command.text ?? '', ...(command.status ? { status: command.status } : {}) });
    case 'status':
      return changeStatus(deps, who, command.status, command.message);
    case 'severity':
      return changeSeverity(deps, who, command.severity);
    case 'lead':
      return changeLead(deps, who, command.userId);
    case 'role':
      return assignRole(deps, who, command.role, command.userId);
    case 'impact':
      return recordImpact(deps, who, command.text);
    case 'cause':
      return recordCause(deps, who, command.text);
    case 'action':
      return addActionItem(deps, who, command.text, command.ownerId, command.ticket);
    case 'ack':
      return acknowledge(deps, who);
    case 'escalate':
      return escalate(deps, who, command.target, command.reason);
    case 'escalations':
      return listEscalations(deps, who);
    case 'resolve':
      return resolveIncident(deps, who, command.summary);
    case 'close':
      return closeIncident(deps, who, command.conclusion);
    case 'timeline':
      return showTimeline(deps, who);
    case 'postmortem':
      return requestPostmortem(deps, who);
    case 'export':
      return requestPostmortem(deps, who, command.target);
    case 'list':
      return listOpenIncidents(deps, who);
    case 'help':
      return { text: helpText(command.topic) };
  }
}
