// Opening the App Home tab rebuilds it from the store: Slack sends app_home_opened each time, so
// the tab is as fresh as the person's last look. A failure costs one stale tab, never a redelivery.

import { appHomeView } from '../../blocks/app-home';
import { appHome } from '../../usecases/app-home';
import type { EventHandlers } from './event-router';
import { isSlackId } from './well-formed';

export function homeEventHandlers(): EventHandlers {
  return {
    app_home_opened: async (event, body, services) => {
      const teamId = body.team_id;
      if (event.tab !== 'home' || !isSlackId(event.user) || !teamId) return;
      try {
        const home = await appHome(services.deps.store, (channelId) => services.chat.channelMembers(channelId), { teamId, userId: event.user });
        await services.chat.publishHome(event.user, appHomeView(home, { now: services.deps.clock.now(), timeZone: services.deps.settings.timeZone }));
      } catch (error) {
        services.logger.warn({ eventId: body.event_id, userId: event.user, err: error }, 'could not publish the App Home tab');
      }
    },
  };
}
