package io.asyncrpc.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds files of the repository from a module's working directory. */
public final class RepositoryFiles {

  private RepositoryFiles() {}

  /** The path of {@code relative} in the repository root, the nearest ancestor holding it. */
  public static Path find(String relative) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve(relative);
      if (Files.exists(candidate) && Files.exists(dir.resolve("mvnw"))) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("no " + relative + " above " + Path.of("").toAbsolutePath());
  }
}
