/*
 * cJSON on a fixed pool. cJSON allocates a node per value; on the protocol path that must not
 * touch the heap, so the core installs cJSON hooks (cJSON_InitHooks) that take memory from one
 * static arena while a message is being handled (a "scope") and release it all at once when the
 * scope ends. Outside a scope the hooks fall back to malloc/free, so other cJSON users of the
 * firmware are unaffected; free() of arena memory is a no-op.
 *
 * A payload that needs more nodes than the arena holds fails to parse (cJSON sees malloc return
 * NULL) and the core answers it with 413 instead of running out of heap. Only the core's own
 * task may open a scope.
 */
#ifndef ASYNCRPC_JSON_ARENA_H
#define ASYNCRPC_JSON_ARENA_H

#include <stdbool.h>
#include <stddef.h>

/** Installs the hooks; idempotent. */
void asyncrpc_json_arena_install(void);

/** Starts a scope: later cJSON allocations come from the arena. */
void asyncrpc_json_arena_begin(void);

/** Ends the scope and forgets everything allocated in it. */
void asyncrpc_json_arena_end(void);

/** Where a scope began: asyncrpc_json_arena_enter's result, for asyncrpc_json_arena_leave. */
typedef struct {
  size_t used;
  bool exhausted;
  bool nested;
} asyncrpc_json_arena_mark_t;

/**
 * Starts a scope, or, inside one (a handler that sends a device event), a nested scope that
 * allocates after what the outer one holds. Leaving releases only the nested scope's memory and
 * restores the outer scope's exhausted flag.
 */
asyncrpc_json_arena_mark_t asyncrpc_json_arena_enter(void);
void asyncrpc_json_arena_leave(asyncrpc_json_arena_mark_t mark);

/** True if an allocation failed in the current scope because the arena was full. */
bool asyncrpc_json_arena_exhausted(void);

/** Highest number of arena bytes used by one scope since start (for sizing). */
size_t asyncrpc_json_arena_high_water(void);

#endif
