/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vdir.h - [calendar] vdir: a folder of one .ics file per item of the feed, the layout khal
 * reads and vdirsyncer syncs (vdir storage: one VCALENDAR per file, named by its UID).
 *
 * Each file is written atomically (a temporary file in the same folder, then rename), only
 * when its text changed, so that an unchanged item keeps its file, mtime and etag. Files
 * named as apptrack's items (feed_is_resource_name()) that are not in the feed are removed;
 * other files in the folder are left alone.
 */
#ifndef APPTRACK_VDIR_H
#define APPTRACK_VDIR_H

#include <glib.h>

struct vdir_stats {
	unsigned written; /* files written: new or changed */
	unsigned removed; /* files of items that left the feed */
	unsigned kept;    /* files already as the item is */
};

/* Makes dir (0700, with its parents) hold exactly resources (of struct feed_resource *),
 * as said above. Stops at the first file that cannot be written or removed: -errno with
 * *error naming it; *ret_stats (may be NULL) counts what was done until then. */
int vdir_sync(const char *dir, GPtrArray *resources, struct vdir_stats *ret_stats, GError **error);

#endif
