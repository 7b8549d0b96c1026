package dev.scoville.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the image the build wrote (target/scoville-image.tar) as a container runtime would, without
 * one: its layers unpacked into a root, its entrypoint, command, environment, user and working
 * directory taken from its own config, in a mount namespace rooted there (util-linux's
 * {@code unshare}, which needs root). The war room answers from inside it as the non-root user, and
 * the report command draws its PDF with the fonts and libraries the image carries.
 */
class ContainerImageIT {
  private static final Path IMAGE = Path.of("target", "scoville-image.tar");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path work;
  private Path root;
  private JsonNode config;
  private Process container;

  @BeforeEach
  void unpackTheImage() throws Exception {
    assumeThat(Files.exists(IMAGE)).as("no %s: the image profile builds it where Debian's dpkg is", IMAGE).isTrue();
    assumeThat(run(List.of("id", "-u"))).as("running the image without a container runtime needs root").isEqualTo("0");
    Path unpacked = Files.createDirectory(work.resolve("image"));
    run(List.of("tar", "-xf", IMAGE.toAbsolutePath().toString(), "-C", unpacked.toString()));
    ObjectMapper json = new ObjectMapper();
    JsonNode manifest = json.readTree(unpacked.resolve("manifest.json").toFile()).get(0);
    config = json.readTree(unpacked.resolve(manifest.get("Config").asText()).toFile()).get("config");
    root = Files.createDirectory(work.resolve("root"));
    for (JsonNode layer : manifest.get("Layers")) {
      run(List.of("tar", "-xzf", unpacked.resolve(layer.asText()).toString(), "-C", root.toString()));
    }
    // What a runtime provides: /proc (mounted by unshare) and the usual devices.
    Files.createDirectories(root.resolve("proc"));
    Files.createDirectories(root.resolve("dev"));
    for (String[] device : new String[][] {{"null", "3"}, {"zero", "5"}, {"random", "8"}, {"urandom", "9"}}) {
      run(List.of("mknod", "-m", "666", root.resolve("dev").resolve(device[0]).toString(), "c", "1", device[1]));
    }
  }

  @AfterEach
  void stop() {
    if (container != null) {
      container.descendants().forEach(ProcessHandle::destroyForcibly);
      container.destroyForcibly();
    }
  }

  @Test
  void theImageRunsTheWarRoomAsANonRootUserAndDrawsTheReport() throws Exception {
    assertThat(config.get("User").asText()).isEqualTo("65532:65532");
    int uiPort = freePort();
    int apiPort = freePort();
    Files.writeString(root.resolve("config/scoville.yaml"), demoOn(uiPort, apiPort));

    Instant started = Instant.now();
    container = start(command(config.get("Entrypoint"), config.get("Cmd")), work.resolve("container.log"));
    String health = awaitOk(URI.create("http://127.0.0.1:" + apiPort + "/healthz"), Duration.ofMinutes(3));
    assertThat(health).isEqualTo("ok\n");
    // The console's servlet container starts after the API.
    assertThat(awaitOk(URI.create("http://127.0.0.1:" + uiPort + "/"), Duration.ofMinutes(2))).contains("Vaadin");

    ProcessHandle java = container.descendants().filter(p -> p.info().command().orElse("").endsWith("/java"))
        .findFirst().orElseThrow(() -> new AssertionError("no java process in the container"));
    assertThat(Files.readAllLines(Path.of("/proc", Long.toString(java.pid()), "status")))
        .anyMatch(line -> line.matches("Uid:\\s+65532\\s+65532\\s+65532\\s+65532"));
    Path database = root.resolve("data/data/scoville.mv.db");
    assertThat(database).exists();
    assertThat(Files.getAttribute(database, "unix:uid")).isEqualTo(65532);

    java.destroy();
    assertThat(container.waitFor(2, TimeUnit.MINUTES)).as("the app stops on SIGTERM").isTrue();

    // The report command, in the same image on the database the app left: JFreeChart's text needs
    // fontconfig and a font inside the image.
    List<String> report = new ArrayList<>(List.of("java", "-Djava.awt.headless=true", "-cp",
        "@/app/jib-classpath-file", "dev.scoville.console.ReportCommand", "--config", "/config/scoville.yaml",
        "--from", started.minus(Duration.ofHours(1)).toString(), "--to", Instant.now().toString(),
        "--out", "/data/report.pdf"));
    Process reporting = start(report, work.resolve("report.log"));
    assertThat(reporting.waitFor()).as(Files.readString(work.resolve("report.log"))).isZero();
    try (PDDocument pdf = Loader.loadPDF(root.resolve("data/report.pdf").toFile())) {
      assertThat(pdf.getNumberOfPages()).isPositive();
      assertThat(new PDFTextStripper().getText(pdf)).contains("Post-peak report");
    }
  }

  private Process start(List<String> command, Path log) throws IOException {
    List<String> unshare = new ArrayList<>(List.of("unshare", "--mount", "--fork", "--kill-child", "--mount-proc",
        "--root", root.toString(), "--wd", config.get("WorkingDir").asText(),
        "--setgid", "65532", "--setuid", "65532"));
    unshare.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(unshare).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> environment = builder.environment();
    environment.clear();
    for (JsonNode variable : config.get("Env")) {
      String[] pair = variable.asText().split("=", 2);
      environment.put(pair[0], pair[1]);
    }
    return builder.start();
  }

  private static List<String> command(JsonNode entrypoint, JsonNode cmd) {
    List<String> command = new ArrayList<>();
    entrypoint.forEach(part -> command.add(part.asText()));
    cmd.forEach(part -> command.add(part.asText()));
    return command;
  }

  /** The demo as someone would mount it, on free ports, its H2 file in the image's working directory. */
  private static String demoOn(int uiPort, int apiPort) throws IOException {
    try (InputStream in = ContainerImageIT.class.getResourceAsStream("/" + Main.DEMO_CONFIG)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("uiPort: 8080", "uiPort: " + uiPort).replace("apiPort: 8081", "apiPort: " + apiPort)
          .replace("http://127.0.0.1:8081/", "http://127.0.0.1:" + apiPort + "/");
    }
  }

  private String awaitOk(URI uri, Duration patience) throws Exception {
    Instant deadline = Instant.now().plus(patience);
    while (Instant.now().isBefore(deadline)) {
      assertThat(container.isAlive()).as("the container exited: %s", log()).isTrue();
      Optional<HttpResponse<String>> answer = tryGet(uri);
      if (answer.isPresent() && answer.get().statusCode() == 200) {
        return answer.get().body();
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no answer from " + uri + " within " + patience + ": " + log());
  }

  private String log() throws IOException {
    return Files.readString(work.resolve("container.log"));
  }

  private static Optional<HttpResponse<String>> tryGet(URI uri) throws InterruptedException {
    try {
      return Optional.of(get(uri));
    } catch (IOException notYet) {
      return Optional.empty();
    }
  }

  private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(process.waitFor()).as("%s: %s", command, output).isZero();
    return output;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
