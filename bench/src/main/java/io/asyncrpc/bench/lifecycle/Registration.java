package io.asyncrpc.bench.lifecycle;

import io.asyncrpc.testsupport.ApiClient;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Registers devices over the API with a few concurrent clients; existing ones are kept. */
public final class Registration {

  private Registration() {}

  public static void registerAll(ApiClient api, List<String> ids, int concurrency)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Void>> done =
          java.util.stream.IntStream.range(0, concurrency)
              .mapToObj(
                  c ->
                      clients.submit(
                          () -> {
                            for (int i = next.getAndIncrement();
                                i < ids.size();
                                i = next.getAndIncrement()) {
                              api.registerDevice(ids.get(i));
                            }
                            return (Void) null;
                          }))
              .toList();
      for (Future<Void> f : done) {
        f.get();
      }
    }
  }
}
