// Drives the app the way Slack does. See slack-actor/actor.ts.
export { SlackActor, type CommandResponse, type Delivery, type DeliveryOptions, type InteractionResponse, type SlackActorOptions } from './slack-actor/actor';
export type { SlackEvent } from './slack-actor/events';
export type { ButtonClick } from './slack-actor/block-actions';
export type { ViewStateValues, ViewSubmission } from './slack-actor/interactive';
export { signSlackRequest } from './slack-actor/signing';
export type { AppResponse } from './slack-actor/transport';
