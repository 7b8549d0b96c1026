package dev.scoville.rules.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.rules.Incident;
import dev.scoville.rules.IntakeServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Grafana's unified alerting webhook: its alerts become incidents as Alertmanager's do. */
class GrafanaIntakeTest {
  private static final String PATH = GrafanaIntakeRoutes.PATH;
  /** The example body of Grafana's webhook notifier documentation. */
  private static final String FIRING = """
      {
        "receiver": "My Super Webhook",
        "status": "firing",
        "orgId": 1,
        "alerts": [
          {
            "status": "firing",
            "labels": {"alertname": "High memory usage", "team": "blue", "zone": "us-1"},
            "annotations": {
              "description": "The system has high memory usage",
              "runbook_url": "https://myrunbook.com/runbook/1234",
              "summary": "This alert was triggered for zone us-1"
            },
            "startsAt": "2021-10-12T09:51:03.157076+02:00",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "https://play.grafana.org/alerting/1afz29v7z/edit",
            "fingerprint": "c6eadffa33fcdf37",
            "silenceURL": "https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT2%2Cteam%3Dblue%2Czone%3Dus-1",
            "dashboardURL": "",
            "panelURL": "",
            "values": {"B": 44.23943737541908, "C": 1}
          },
          {
            "status": "firing",
            "labels": {"alertname": "High CPU usage", "team": "blue", "zone": "eu-1"},
            "annotations": {
              "description": "The system has high CPU usage",
              "runbook_url": "https://myrunbook.com/runbook/1234",
              "summary": "This alert was triggered for zone eu-1"
            },
            "startsAt": "2021-10-12T09:56:03.157076+02:00",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "https://play.grafana.org/alerting/d1rdpdv7k/edit",
            "fingerprint": "bc97ff14869b13e3",
            "silenceURL": "https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT1%2Cteam%3Dblue%2Czone%3Deu-1",
            "dashboardURL": "",
            "panelURL": "",
            "values": null
          }
        ],
        "groupLabels": {},
        "commonLabels": {"team": "blue"},
        "commonAnnotations": {},
        "externalURL": "https://play.grafana.org/",
        "version": "1",
        "groupKey": "{}:{}",
        "truncatedAlerts": 0,
        "title": "[FIRING:2]  (blue)",
        "state": "alerting",
        "message": "**Firing**\\n\\nLabels:\\n - alertname = T2\\n"
      }""";

  private IntakeServer server;

  @BeforeEach
  void start() throws Exception {
    server = IntakeServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void grafanasAlertsBecomeIncidentsThatPage() throws Exception {
    HttpResponse<String> response = server.post(PATH, "Bearer " + IntakeServer.TOKEN, FIRING);
    server.send();

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(server.incidents.recent(10)).extracting(Incident::rule)
        .containsExactlyInAnyOrder("High memory usage", "High CPU usage");
    assertThat(server.pages()).containsExactlyInAnyOrder("trigger This alert was triggered for zone us-1",
        "trigger This alert was triggered for zone eu-1");
  }

  @Test
  void aResolvedGrafanaAlertResolvesItsIncident() throws Exception {
    server.post(PATH, "Bearer " + IntakeServer.TOKEN, FIRING);

    server.post(PATH, "Bearer " + IntakeServer.TOKEN, FIRING.replaceFirst("\"status\": \"firing\",\\s*\"labels\": \\{\"alertname\": \"High memory",
        "\"status\": \"resolved\", \"labels\": {\"alertname\": \"High memory"));

    assertThat(server.incidents.recent(10)).extracting(i -> i.rule() + " " + i.state())
        .containsExactlyInAnyOrder("High memory usage RESOLVED", "High CPU usage TRIGGERED");
  }

  @Test
  void refusesARequestWithoutTheToken() throws Exception {
    assertThat(server.post(PATH, null, FIRING).statusCode()).isEqualTo(401);
    assertThat(server.incidents.recent(10)).isEmpty();
  }
}
