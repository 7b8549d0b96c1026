package dev.scoville.core;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for tests: Debian's {@code postgresql} binaries ({@code
 * /usr/lib/postgresql/<version>/bin}), a fresh cluster in a temporary directory, loopback only,
 * trust authentication for the superuser {@code scoville}. PostgreSQL refuses to run as root, so
 * under root the cluster belongs to, and runs as, the {@code postgres} account the package creates.
 */
public final class PostgresServer implements AutoCloseable {
  public static final String USER = "scoville";

  private final Path bin;
  private final Path data;
  private final int port;
  private final boolean asPostgres;

  private PostgresServer(Path bin, Path data, int port, boolean asPostgres) {
    this.bin = bin;
    this.data = data;
    this.port = port;
    this.asPostgres = asPostgres;
  }

  /** The newest installed PostgreSQL's binaries, if any: tests skip without them, saying so. */
  public static Optional<Path> binaries() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public static PostgresServer start(Path bin) throws IOException, InterruptedException {
    boolean asPostgres = "root".equals(System.getProperty("user.name"));
    Path data = Files.createTempDirectory("scoville-pg");
    if (asPostgres) {
      run(List.of("chown", "postgres:postgres", data.toString()));
    }
    int port = freePort();
    PostgresServer server = new PostgresServer(bin, data, port, asPostgres);
    server.pg(List.of(bin.resolve("initdb").toString(), "-D", data.resolve("cluster").toString(), "-U", USER,
        "--auth=trust", "--no-sync", "-E", "UTF8"));
    server.pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data.resolve("cluster").toString(), "-w",
        "-l", data.resolve("server.log").toString(), "-o",
        "-p " + port + " -c listen_addresses=127.0.0.1 -k " + data + " -c fsync=off", "start"));
    return server;
  }

  public String jdbcUrl() {
    return jdbcUrl("postgres");
  }

  /** A database of this server, created by the caller (e.g. one per run over the same server). */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data.resolve("cluster").toString(), "-m", "immediate",
        "-w", "stop"));
    run(List.of("rm", "-rf", data.toString()));
  }

  private void pg(List<String> command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asPostgres) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    run(full);
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed:\n" + output);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
