#include "test.h"

#define MAX_TESTS 256

static struct {
  const char *name;
  test_fn fn;
} tests[MAX_TESTS];
static int count;

void test_register(const char *name, test_fn fn) {
  if (count < MAX_TESTS) {
    tests[count].name = name;
    tests[count].fn = fn;
    count++;
  }
}

/* With a name: runs that case (how CTest calls it). Without: runs all, in this process. */
int main(int argc, char **argv) {
  if (argc > 1) {
    for (int i = 0; i < count; i++) {
      if (strcmp(tests[i].name, argv[1]) == 0) {
        tests[i].fn();
        printf("ok %s\n", tests[i].name);
        return 0;
      }
    }
    fprintf(stderr, "no test %s\n", argv[1]);
    return 2;
  }
  for (int i = 0; i < count; i++) {
    tests[i].fn();
    printf("ok %s\n", tests[i].name);
  }
  printf("%d tests passed\n", count);
  return 0;
}
