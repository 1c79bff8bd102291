/* A minimal test harness: TEST(name) registers a case; each case runs in its own process (CTest). */
#ifndef ASYNCRPC_TEST_H
#define ASYNCRPC_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*test_fn)(void);
void test_register(const char *name, test_fn fn);

#define TEST(name)                                                            \
  static void name(void);                                                     \
  __attribute__((constructor)) static void register_##name(void) { test_register(#name, name); } \
  static void name(void)

#define CHECK(cond)                                                           \
  do {                                                                        \
    if (!(cond)) {                                                            \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      exit(1);                                                                \
    }                                                                         \
  } while (0)

#define CHECK_INT(expected, actual)                                                         \
  do {                                                                                      \
    long long e_ = (long long)(expected), a_ = (long long)(actual);                         \
    if (e_ != a_) {                                                                         \
      fprintf(stderr, "%s:%d: expected %s == %lld but was %lld\n", __FILE__, __LINE__, #actual, e_, a_); \
      exit(1);                                                                              \
    }                                                                                       \
  } while (0)

#define CHECK_STR(expected, actual)                                                          \
  do {                                                                                       \
    const char *e_ = (expected), *a_ = (actual);                                             \
    if (a_ == NULL || strcmp(e_, a_) != 0) {                                                 \
      fprintf(stderr, "%s:%d: expected %s == \"%s\" but was \"%s\"\n", __FILE__, __LINE__, #actual, e_, \
              a_ == NULL ? "(null)" : a_);                                                   \
      exit(1);                                                                               \
    }                                                                                        \
  } while (0)

#endif
