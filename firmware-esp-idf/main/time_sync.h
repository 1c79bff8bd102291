#pragma once

/** Starts SNTP and waits (bounded) for the first sync: TLS checks certificate validity dates. */
void time_sync_start(void);
