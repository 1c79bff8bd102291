package io.asyncrpc.testsupport.process;

import io.asyncrpc.testsupport.RepositoryFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The one rule for which packaged jar of a module runs: {@code <module>/target/<module>-<version>
 * .jar}, or {@code <module>-<version>-<classifier>.jar} where the runnable jar has a classifier
 * (the agent's {@code cli}); never a plain, sources or shade-original jar.
 */
public final class ServiceJar {

  private ServiceJar() {}

  /** The repository root of the working tree the tests run in. */
  public static Path repositoryRoot() {
    return Objects.requireNonNull(RepositoryFiles.find("mvnw").getParent(), "mvnw has a folder");
  }

  /**
   * The runnable jar of {@code module} under {@code root}; {@code classifier} is null for the
   * module's main jar. Fails, saying what to build, when there is none.
   */
  public static Path find(Path root, String module, @Nullable String classifier) {
    Path target = root.resolve(module).resolve("target");
    Pattern name =
        Pattern.compile(
            Pattern.quote(module)
                + "-\\d[\\w.]*(-SNAPSHOT)?"
                + (classifier == null ? "" : "-" + Pattern.quote(classifier))
                + "\\.jar");
    List<Path> jars;
    try (Stream<Path> files = Files.list(target)) {
      jars =
          files
              .filter(f -> name.matcher(f.getFileName().toString()).matches())
              .sorted(Comparator.comparing(ServiceJar::modified).reversed())
              .toList();
    } catch (IOException e) {
      throw new IllegalStateException("no " + target + ": package " + module + " first", e);
    }
    if (jars.isEmpty()) {
      throw new IllegalStateException(
          "no " + name.pattern() + " in " + target + ": package " + module + " first");
    }
    return jars.getFirst(); // the newest, should several versions lie there
  }

  private static long modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
