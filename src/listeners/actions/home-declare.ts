// The Declare button on the App Home tab opens the same form as `/incident start` with no title.
// There is no channel to answer in, so the declarer hears back by DM.

import { declareModal } from '../../blocks/declare-modal';
import { HOME_DECLARE_ACTION } from '../../blocks/ids';
import type { ButtonPress } from './button';

export function homeDeclareButton(): Record<string, ButtonPress> {
  return {
    [HOME_DECLARE_ACTION]: async ({ userId, chat, triggerId }) => {
      await chat.openModal(triggerId, declareModal({ channelId: userId }));
      return { text: '' };
    },
  };
}
