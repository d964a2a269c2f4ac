/* SPDX-License-Identifier: GPL-3.0-or-later */
/* invitation_zones.c - the Olson zone of a Windows time zone name, for invitations that
 * name a Windows zone ("TZID=Pacific Standard Time") without a VTIMEZONE block to define
 * it (Outlook and Exchange usually send one; forwarded or hand-trimmed invitations may
 * not). The table is the "001" (default territory) mapping of Unicode CLDR's
 * windowsZones, for the zones of the places most mail comes from.
 */
#include "apptrack/invitation.h"

#include <string.h>

static const struct {
	const char *windows, *olson;
} zones[] = {
	{ "Dateline Standard Time", "Etc/GMT+12" },
	{ "Hawaiian Standard Time", "Pacific/Honolulu" },
	{ "Alaskan Standard Time", "America/Anchorage" },
	{ "Pacific Standard Time", "America/Los_Angeles" },
	{ "Pacific Standard Time (Mexico)", "America/Tijuana" },
	{ "US Mountain Standard Time", "America/Phoenix" },
	{ "Mountain Standard Time", "America/Denver" },
	{ "Central America Standard Time", "America/Guatemala" },
	{ "Central Standard Time", "America/Chicago" },
	{ "Central Standard Time (Mexico)", "America/Mexico_City" },
	{ "Canada Central Standard Time", "America/Regina" },
	{ "SA Pacific Standard Time", "America/Bogota" },
	{ "Eastern Standard Time", "America/New_York" },
	{ "US Eastern Standard Time", "America/Indiana/Indianapolis" },
	{ "Venezuela Standard Time", "America/Caracas" },
	{ "Atlantic Standard Time", "America/Halifax" },
	{ "SA Western Standard Time", "America/La_Paz" },
	{ "Pacific SA Standard Time", "America/Santiago" },
	{ "Newfoundland Standard Time", "America/St_Johns" },
	{ "E. South America Standard Time", "America/Sao_Paulo" },
	{ "Argentina Standard Time", "America/Argentina/Buenos_Aires" },
	{ "SA Eastern Standard Time", "America/Cayenne" },
	{ "UTC", "Etc/UTC" },
	{ "Coordinated Universal Time", "Etc/UTC" },
	{ "GMT Standard Time", "Europe/London" },
	{ "Greenwich Standard Time", "Atlantic/Reykjavik" },
	{ "W. Europe Standard Time", "Europe/Berlin" },
	{ "Central Europe Standard Time", "Europe/Budapest" },
	{ "Romance Standard Time", "Europe/Paris" },
	{ "Central European Standard Time", "Europe/Warsaw" },
	{ "W. Central Africa Standard Time", "Africa/Lagos" },
	{ "GTB Standard Time", "Europe/Bucharest" },
	{ "FLE Standard Time", "Europe/Kyiv" },
	{ "E. Europe Standard Time", "Europe/Chisinau" },
	{ "Egypt Standard Time", "Africa/Cairo" },
	{ "South Africa Standard Time", "Africa/Johannesburg" },
	{ "Israel Standard Time", "Asia/Jerusalem" },
	{ "Turkey Standard Time", "Europe/Istanbul" },
	{ "Arab Standard Time", "Asia/Riyadh" },
	{ "Russian Standard Time", "Europe/Moscow" },
	{ "E. Africa Standard Time", "Africa/Nairobi" },
	{ "Iran Standard Time", "Asia/Tehran" },
	{ "Arabian Standard Time", "Asia/Dubai" },
	{ "Pakistan Standard Time", "Asia/Karachi" },
	{ "India Standard Time", "Asia/Kolkata" },
	{ "Sri Lanka Standard Time", "Asia/Colombo" },
	{ "Nepal Standard Time", "Asia/Kathmandu" },
	{ "Bangladesh Standard Time", "Asia/Dhaka" },
	{ "SE Asia Standard Time", "Asia/Bangkok" },
	{ "China Standard Time", "Asia/Shanghai" },
	{ "Singapore Standard Time", "Asia/Singapore" },
	{ "Taipei Standard Time", "Asia/Taipei" },
	{ "W. Australia Standard Time", "Australia/Perth" },
	{ "Tokyo Standard Time", "Asia/Tokyo" },
	{ "Korea Standard Time", "Asia/Seoul" },
	{ "Cen. Australia Standard Time", "Australia/Adelaide" },
	{ "AUS Central Standard Time", "Australia/Darwin" },
	{ "E. Australia Standard Time", "Australia/Brisbane" },
	{ "AUS Eastern Standard Time", "Australia/Sydney" },
	{ "Tasmania Standard Time", "Australia/Hobart" },
	{ "New Zealand Standard Time", "Pacific/Auckland" },
};

const char *invitation_windows_zone(const char *windows_name)
{
	for (size_t i = 0; windows_name && i < G_N_ELEMENTS(zones); i++)
		if (g_ascii_strcasecmp(windows_name, zones[i].windows) == 0)
			return zones[i].olson;
	return NULL;
}
