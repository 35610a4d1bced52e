#include "config.h"

#include "picture.h"

#include <errno.h>
#include <stdlib.h>

/* Room for the locks of one resource in a first picture; a busier one is
 * taken again with room for all. */
#define PICTURE_ROOM 64

int picture_take(const struct namespace *ns, const struct resname *name,
                 struct engine_picture *picture)
{
    unsigned int rooms = PICTURE_ROOM, roomr = name != NULL ? 1 : PICTURE_ROOM;
    int rc;

    for (;;) {
        picture->resources = calloc(roomr, sizeof *picture->resources);
        picture->locks = calloc(rooms, sizeof *picture->locks);
        if (picture->resources == NULL || picture->locks == NULL) {
            rc = -ENOMEM;
            break;
        }
        picture->nresources = roomr;
        picture->nlocks = rooms;
        rc = ns->ops->inspect(ns->ls, name != NULL ? name->bytes : NULL,
                              name != NULL ? name->len : 0, picture);
        if (rc != 0)
            break;
        if (picture->nresources <= roomr && picture->nlocks <= rooms)
            return 0;
        roomr = picture->nresources;
        rooms = picture->nlocks;
        picture_free(picture);
    }
    picture_free(picture);
    return rc;
}

void picture_free(struct engine_picture *picture)
{
    free(picture->resources);
    free(picture->locks);
    picture->resources = NULL;
    picture->locks = NULL;
}
