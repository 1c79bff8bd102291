#include "asyncrpc/json_arena.h"

#include <stdint.h>
#include <stdlib.h>

#include "asyncrpc/config.h"
#include "cJSON.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define ARENA_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define ARENA_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
/* A gap between blocks so an overrun of one cJSON block is reported, not silently absorbed. */
#define ARENA_REDZONE 16u
#else
#define ARENA_POISON(p, n) ((void)(p), (void)(n))
#define ARENA_UNPOISON(p, n) ((void)(p), (void)(n))
#define ARENA_REDZONE 0u
#endif

#define ARENA_ALIGN 8u

static _Alignas(8) unsigned char arena[ASYNCRPC_JSON_ARENA_SIZE];
static size_t used;
static size_t high_water;
static bool active;
static bool exhausted;
static bool installed;

static void *arena_malloc(size_t size) {
  if (!active) {
    return malloc(size);
  }
  size_t start = (used + ARENA_ALIGN - 1u) & ~(size_t)(ARENA_ALIGN - 1u);
  if (size > sizeof(arena) || start > sizeof(arena) - size) {
    exhausted = true;
    return NULL;
  }
  used = start + size + ARENA_REDZONE;
  if (used > sizeof(arena)) {
    used = sizeof(arena);
  }
  if (used > high_water) {
    high_water = used;
  }
  ARENA_UNPOISON(arena + start, size);
  return arena + start;
}

static void arena_free(void *pointer) {
  uintptr_t p = (uintptr_t)pointer;
  if (p >= (uintptr_t)arena && p < (uintptr_t)arena + sizeof(arena)) {
    return; /* released when the scope ends */
  }
  free(pointer);
}

void asyncrpc_json_arena_install(void) {
  if (installed) {
    return;
  }
  cJSON_Hooks hooks = {arena_malloc, arena_free};
  cJSON_InitHooks(&hooks);
  ARENA_POISON(arena, sizeof(arena));
  installed = true;
}

void asyncrpc_json_arena_begin(void) {
  asyncrpc_json_arena_install();
  used = 0;
  exhausted = false;
  active = true;
}

void asyncrpc_json_arena_end(void) {
  active = false;
  ARENA_POISON(arena, sizeof(arena));
  used = 0;
}

asyncrpc_json_arena_mark_t asyncrpc_json_arena_enter(void) {
  asyncrpc_json_arena_mark_t mark = {.used = used, .exhausted = exhausted, .nested = active};
  if (!active) {
    asyncrpc_json_arena_begin();
  }
  exhausted = false;
  return mark;
}

void asyncrpc_json_arena_leave(asyncrpc_json_arena_mark_t mark) {
  if (!mark.nested) {
    asyncrpc_json_arena_end();
    return;
  }
  if (used > mark.used) {
    ARENA_POISON(arena + mark.used, used - mark.used);
  }
  used = mark.used;
  exhausted = mark.exhausted;
}

bool asyncrpc_json_arena_exhausted(void) { return exhausted; }

size_t asyncrpc_json_arena_high_water(void) { return high_water; }
