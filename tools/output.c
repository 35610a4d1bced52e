#include "config.h"

#include "output.h"

#include <grp.h>
#include <pwd.h>

const char *mode_name(int engine_mode)
{
    static const char *const names[ENGINE_NMODES] = { "NL", "CR", "CW", "PR", "PW", "EX" };

    return engine_mode >= ENGINE_MODE_NL && engine_mode <= ENGINE_MODE_EX ? names[engine_mode]
                                                                         : NULL;
}

const char *state_name(enum engine_queue queue)
{
    switch (queue) {
    case ENGINE_QUEUE_GRANTED:
        return "granted";
    case ENGINE_QUEUE_CONVERTING:
        return "converting";
    default:
        return "waiting";
    }
}

const char *kind_name(enum ns_kind kind)
{
    switch (kind) {
    case NS_SYSTEM:
        return "system";
    case NS_USER:
        return "user";
    default:
        return "group";
    }
}

int held_by_container(const struct engine_lock_info *lock)
{
    return lock->pid == 0 && lock->group != 0;
}

int orphaned(const struct engine_lock_info *lock)
{
    return lock->pid == 0 && lock->group == 0;
}

int lvb_state_known(const struct view *view)
{
    return view->admin->snapshot == NULL
           || !(view->admin->snapshot_gaps & SNAPSHOT_NO_LVB_STATE);
}

const char *lvb_state(const struct view *view, const struct engine_resource_info *res)
{
    if (!lvb_state_known(view))
        return NULL;
    return res->lvb_valid ? "valid" : "invalid";
}

const unsigned char *mark_digest(const struct persist_mark *mark)
{
    return mark->bytes + PERSIST_MAGIC_LEN;
}

const char *user_name(uid_t uid)
{
    const struct passwd *user = getpwuid(uid);

    return user != NULL ? user->pw_name : NULL;
}

const char *group_name(gid_t gid)
{
    const struct group *group = getgrgid(gid);

    return group != NULL ? group->gr_name : NULL;
}
