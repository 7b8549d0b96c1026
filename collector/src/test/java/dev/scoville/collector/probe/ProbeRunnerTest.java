package dev.scoville.collector.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoville.collector.SeriesStore;
import dev.scoville.core.ConfigException;
import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Series;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProbeRunnerTest {
  /** Trimmed from Atlassian Statuspage's documented summary.json. */
  private static final String SUMMARY = """
      {"page":{"id":"kctbh9vrtdwd","name":"Card Gateway","url":"https://status.example","updated_at":"2026-11-27T09:00:00Z"},
       "status":{"indicator":"major","description":"Partial System Outage"},
       "components":[
         {"id":"a1","name":"API","status":"partial_outage","group":false,"only_show_if_degraded":false},
         {"id":"a2","name":"Dashboard","status":"operational","group":false},
         {"id":"g1","name":"Everything","status":"major_outage","group":true}],
       "incidents":[],"scheduled_maintenances":[]}
      """;

  private final Vertx vertx = Vertx.vertx();
  private final SeriesStore store = new SeriesStore(Duration.ofHours(1), Clock.systemUTC());

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void anHttpCheckSucceedsOnTheExpectedStatusAndBody() {
    URI url = serve(200, "{\"status\":\"ok\",\"queue\":3}");
    ProbeRunner probes = runner(new ProbesConfig.Http("logistics", url, null, "\"status\":\"ok\""));

    probes.probe(0).await();

    assertThat(last("probe_success", "logistics")).isEqualTo(1.0);
    assertThat(last("probe_http_status_code", "logistics")).isEqualTo(200.0);
    assertThat(last("probe_duration_seconds", "logistics")).isPositive();
  }

  @Test
  void anHttpCheckFailsOnAnotherStatusABodyMismatchOrNoAnswer() {
    ProbeRunner probes = runner(
        new ProbesConfig.Http("gateway", serve(503, "down"), null, null),
        new ProbesConfig.Http("logistics", serve(200, "{\"status\":\"degraded\"}"), null, "\"status\":\"ok\""),
        new ProbesConfig.Http("carrier", URI.create("http://127.0.0.1:1/health"), null, null));

    probes.probe(0).await();
    probes.probe(1).await();
    probes.probe(2).await();

    assertThat(last("probe_success", "gateway")).isZero();
    assertThat(last("probe_http_status_code", "gateway")).isEqualTo(503.0);
    assertThat(last("probe_success", "logistics")).isZero();
    assertThat(last("probe_success", "carrier")).isZero();
  }

  @Test
  void readsAStatuspageSummaryIntoIndicatorAndComponentSeries() {
    URI url = serve(200, SUMMARY);
    ProbeRunner probes = new ProbeRunner(vertx, store, Clock.systemUTC(),
        new ProbesConfig(null, Duration.ofSeconds(5), null, List.of(new ProbesConfig.StatusPage("card-gateway", url))));

    probes.check(new ProbesConfig.StatusPage("card-gateway", url)).await();

    assertThat(value(List.of(LabelMatcher.equal("__name__", "statuspage_indicator")))).isEqualTo(2.0);
    assertThat(value(List.of(LabelMatcher.equal("__name__", "statuspage_up")))).isEqualTo(1.0);
    assertThat(value(List.of(LabelMatcher.equal("__name__", "statuspage_component_status"),
        LabelMatcher.equal("component", "API"), LabelMatcher.equal("status", "partial_outage")))).isEqualTo(1.0);
    assertThat(value(List.of(LabelMatcher.equal("__name__", "statuspage_component_status"),
        LabelMatcher.equal("component", "API"), LabelMatcher.equal("status", "operational")))).isZero();
    assertThat(store.select(List.of(LabelMatcher.equal("component", "Everything")), 0, Long.MAX_VALUE))
        .as("groups repeat their members").isEmpty();
  }

  @Test
  void aPageThatIsNotASummaryIsDownAndNamed() {
    URI url = serve(200, "{\"hello\":1}");
    ProbeRunner probes = new ProbeRunner(vertx, store, Clock.systemUTC(),
        new ProbesConfig(null, Duration.ofSeconds(5), null, List.of(new ProbesConfig.StatusPage("odd", url))));

    probes.check(new ProbesConfig.StatusPage("odd", url)).await();

    assertThat(value(List.of(LabelMatcher.equal("__name__", "statuspage_up")))).isZero();
  }

  @Test
  void refusesABadBodyPatternNamingTheProbe() {
    assertThatThrownBy(() -> runner(new ProbesConfig.Http("gateway", URI.create("http://x/"), null, "(")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("probes.http[0] (gateway).bodyMatch: ");
  }

  private ProbeRunner runner(ProbesConfig.Http... http) {
    return new ProbeRunner(vertx, store, Clock.systemUTC(), new ProbesConfig(null, Duration.ofSeconds(5), List.of(http), null));
  }

  private double last(String metric, String probe) {
    return value(List.of(LabelMatcher.equal("__name__", metric), LabelMatcher.equal("probe", probe)));
  }

  private double value(List<LabelMatcher> matchers) {
    List<Series> found = store.select(matchers, 0, Long.MAX_VALUE);
    assertThat(found).hasSize(1);
    return found.get(0).valueAt(found.get(0).size() - 1);
  }

  private URI serve(int status, String body) {
    HttpServer server = vertx.createHttpServer()
        .requestHandler(r -> r.response().setStatusCode(status).end(body)).listen(0, "127.0.0.1").await();
    return URI.create("http://127.0.0.1:" + server.actualPort() + "/health");
  }
}
