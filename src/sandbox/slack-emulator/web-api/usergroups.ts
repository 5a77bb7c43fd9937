import { defineMethod, type ApiMethod } from './define';

/**
 * Members of a user group, as seeded with `emulator.addUsergroup`. Slack's docs leave open what a
 * disabled group answers without `include_disabled` ("allow results that involve disabled User
 * Groups"); the emulator treats it as not found. A missing `usergroup` is not found either.
 */
const usersList = defineMethod(['no_such_subteam'], ({ args, ws }, fail) => {
  const id = args.string('usergroup');
  const group = id ? ws.directory.usergroup(id) : undefined;
  if (!group || (group.disabled && !args.boolean('include_disabled'))) return fail('no_such_subteam');
  return { users: [...group.users] };
});

export const usergroupsMethods: Record<string, ApiMethod> = {
  'usergroups.users.list': usersList,
};
