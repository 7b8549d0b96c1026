package dev.scoville.collector.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoville.shop.Scenario;
import dev.scoville.shop.ShopEvent;
import dev.scoville.shop.ShopSimulator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventParserTest {
  private final EventParser parser = new EventParser();

  @Test
  void readsEveryTypeOfTheSchema() throws Exception {
    assertThat(
            parse(
                "{\"type\":\"page_view\",\"time\":\"2026-11-23T12:00:00.250Z\",\"shop\":\"eu\","
                    + "\"session\":\"s1\",\"page\":\"/cart\",\"load_ms\":812.5,\"js_errors\":2}"))
        .isEqualTo(
            new Event.PageView(
                "eu",
                Instant.parse("2026-11-23T12:00:00.250Z").toEpochMilli(),
                SessionSketch.hash("s1"),
                "/cart",
                812.5,
                2));
    assertThat(
            parse(
                "{\"type\":\"payment_result\",\"time\":\"2026-11-23T12:00:00Z\",\"order\":\"o1\","
                    + "\"provider\":\"paypal\",\"outcome\":\"failure\"}"))
        .isEqualTo(new Event.PaymentResult("", 1_795_435_200_000L, "paypal", false));
    assertThat(
            parse(
                "{\"type\":\"order_placed\",\"time\":\"2026-11-23T12:00:00Z\",\"session\":\"s\","
                    + "\"order\":\"o\",\"amount\":12,\"currency\":\"EUR\"}"))
        .isEqualTo(new Event.OrderPlaced("", 1_795_435_200_000L, 12, "EUR", Double.NaN));
    assertThat(
            parse(
                "{\"type\":\"inventory_level\",\"time\":\"2026-11-23T13:00:00+01:00\",\"sku\":\"HS-1\","
                    + "\"level\":0}"))
        .isEqualTo(new Event.InventoryLevel("", 1_795_435_200_000L, "HS-1", 0));
    assertThat(
            parse(
                "{\"time\":\"2026-11-23T12:00:00Z\",\"type\":\"feedback\",\"score\":5,\"comment\":\"hot\"}"))
        .isEqualTo(new Event.Feedback("", 1_795_435_200_000L, 5, "hot", "", ""));
    assertThat(
            parse(
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":2,\"comment\":\"late\","
                    + "\"page\":\"/checkout\",\"topic\":\"delivery\"}"))
        .isEqualTo(new Event.Feedback("", 1_795_435_200_000L, 2, "late", "/checkout", "delivery"));
    assertThat(
            parse(
                "{\"type\":\"cart_created\",\"time\":\"2026-11-23T12:00:00Z\",\"session\":\"s\",\"cart\":\"c\"}"))
        .isInstanceOf(Event.CartCreated.class);
    assertThat(
            parse(
                "{\"type\":\"checkout_started\",\"time\":\"2026-11-23T12:00:00Z\",\"session\":\"s\","
                    + "\"cart\":\"c\"}"))
        .isInstanceOf(Event.CheckoutStarted.class);
  }

  @Test
  void readsEverythingTheShopSimulatorEmits() throws Exception {
    List<ShopEvent> emitted = new ArrayList<>();
    ShopSimulator shop =
        new ShopSimulator(
            Scenario.DEMO,
            50,
            Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC),
            7);
    shop.onEvent(emitted::add);
    shop.tick(Duration.ofSeconds(10));
    ObjectMapper json = new ObjectMapper();

    assertThat(emitted).hasSizeGreaterThan(100);
    for (ShopEvent event : emitted) {
      Event parsed = parser.parse(json.writeValueAsBytes(event.asJsonObject()));
      assertThat(parsed.type().label).isEqualTo(event.type());
      assertThat(parsed.timeMillis()).isEqualTo(event.time().toEpochMilli());
    }
  }

  @Test
  void ignoresFieldsItDoesNotKnow() throws Exception {
    assertThat(
            parse(
                "{\"type\":\"cart_created\",\"time\":\"2026-11-23T12:00:00Z\",\"session\":\"s\","
                    + "\"cart\":\"c\",\"items\":[{\"sku\":\"A\"}],\"coupon\":null}"))
        .isInstanceOf(Event.CartCreated.class);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"time\":\"2026-11-23T12:00:00Z\"}                                                    |"
            + " missing_type     | missing field 'type'",
        "{\"type\":\"refund\",\"time\":\"2026-11-23T12:00:00Z\"}                                |"
            + " unknown_type     | unknown type 'refund'",
        "{\"type\":\"cart_created\",\"session\":\"s\",\"cart\":\"c\"}                           |"
            + " missing_time     | missing field 'time'",
        "{\"type\":\"cart_created\",\"time\":\"yesterday\",\"session\":\"s\",\"cart\":\"c\"}    |"
            + " invalid_time     | field 'time' must be an ISO-8601",
        "{\"type\":\"cart_created\",\"time\":\"2026-02-30T12:00:00Z\",\"session\":\"s\",\"cart\":\"c\"}"
            + " | invalid_time | field 'time'",
        "{\"type\":\"cart_created\",\"time\":\"2026-11-23T12:00:00\",\"session\":\"s\",\"cart\":\"c\"}"
            + "  | invalid_time | field 'time'",
        "{\"type\":\"cart_created\",\"time\":\"2026-11-23T12:00:00Z\",\"cart\":\"c\"}           |"
            + " missing_session  | missing field 'session'",
        "{\"type\":\"cart_created\",\"time\":\"2026-11-23T12:00:00Z\",\"session\":\"\",\"cart\":\"c\"}"
            + " | invalid_session | field 'session' must not be empty",
        "{\"type\":\"page_view\",\"time\":\"2026-11-23T12:00:00Z\",\"session\":\"s\",\"page\":\"/\",\"load_ms\":\"fast\"}"
            + " | invalid_load_ms | field 'load_ms' must be a number",
        "{\"type\":\"page_view\",\"time\":\"2026-11-23T12:00:00Z\",\"session\":\"s\",\"page\":\"/\",\"load_ms\":-5}"
            + " | invalid_load_ms | field 'load_ms' must be a non-negative number",
        "{\"type\":\"page_view\",\"time\":\"2026-11-23T12:00:00Z\",\"session\":\"s\",\"page\":\"/\"}"
            + " | missing_load_ms | missing field 'load_ms'",
        "{\"type\":\"page_view\",\"time\":\"2026-11-23T12:00:00Z\",\"session\":\"s\",\"page\":\"/\",\"load_ms\":5,\"js_errors\":1.5}"
            + " | invalid_js_errors | field 'js_errors' must be an integer",
        "{\"type\":\"payment_result\",\"time\":\"2026-11-23T12:00:00Z\",\"order\":\"o\",\"provider\":\"p\",\"outcome\":\"maybe\"}"
            + " | invalid_outcome | field 'outcome' must be success or failure",
        "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":6}                 |"
            + " invalid_score    | field 'score' must be an integer from 1 to 5",
        "{\"type\":\"inventory_level\",\"time\":\"2026-11-23T12:00:00Z\",\"sku\":{\"id\":1},\"level\":1}"
            + " | invalid_sku | field 'sku' must be a string",
        "{\"type\":\"inventory_level\",\"time\":\"2026-11-23T12:00:00Z\",\"sku\":\"A\",\"level\":1e400}"
            + " | invalid_level | field 'level' must be a finite number",
        "[1,2]                                                                                  |"
            + " not_an_object    | expected a JSON object",
        "{\"type\":\"feedback\",                                                               |"
            + " malformed_json   | malformed JSON at 1:",
      })
  void refusesABadEventNamingTheField(String json, String reason, String message) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOfSatisfying(
            InvalidEventException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(message);
  }

  @Test
  void aBatchRefusesOnlyItsBadEvents() throws Exception {
    EventParser.Batch batch =
        parser.parseArray(
            ("[{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3},"
                 + "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":{\"nested\":[1,2]},\"comment\":\"x\"},\"not"
                 + " an event\","
                 + "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":1}]")
                .getBytes(StandardCharsets.UTF_8));

    assertThat(batch.events()).extracting(e -> ((Event.Feedback) e).score()).containsExactly(3, 1);
    assertThat(batch.rejections()).extracting(EventParser.Rejection::index).containsExactly(1, 2);
    assertThat(batch.rejections().get(0).problem()).hasMessage("field 'score' must be an integer");
  }

  @Test
  void aBatchWithBrokenJsonIsRefusedWhole() {
    assertThatThrownBy(
            () ->
                parser.parseArray(
                    "[{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3},{\"ty"
                        .getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            InvalidEventException.class, e -> assertThat(e.reason()).isEqualTo("malformed_json"));
  }

  @ParameterizedTest
  @CsvSource({
    "2026-11-23T12:00:00Z", "2026-11-23T12:00:00.1Z", "2026-11-23T12:00:00.123456789Z",
        "2024-02-29T23:59:59.999Z",
    "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.5Z", "2026-11-23T12:00:00-05:30",
        "2026-11-23T12:00:00.42+14:00",
    "2400-03-01T00:00:00Z"
  })
  void readsTimesAsJavaDoes(String time) {
    char[] chars = ("x" + time + "x").toCharArray();
    assertThat(Iso8601.parseMillis(chars, 1, time.length()))
        .isEqualTo(OffsetDateTime.parse(time).toInstant().toEpochMilli());
  }

  @Test
  void readsTimesThroughTheLastHourAsWithout() {
    List<String> times =
        List.of(
            "2026-11-23T12:00:00Z",
            "2026-11-23T12:59:59.999Z",
            "2026-11-23T12:60:00Z",
            "2026-11-23T12:00:00+01:00",
            "2026-11-23t12:00:00Z",
            "2026-11-23T13:00:00Z",
            "2026-11-23T12:30:00.5Z",
            "2026-02-30T12:00:00Z",
            "2026-02-30T12:00:00Z",
            "2024-02-29T12:00:00Z",
            "2026-11-23T12:00:00",
            "2026-11-23T12:00:00.123456789-05:30");
    Iso8601.LastHour last = new Iso8601.LastHour();
    for (String time : times) {
      byte[] bytes = ("x" + time + "x").getBytes(StandardCharsets.UTF_8);
      assertThat(Iso8601.parseMillis(bytes, 1, time.length(), last))
          .as(time)
          .isEqualTo(Iso8601.parseMillis(bytes, 1, time.length()))
          .isEqualTo(javaMillis(time));
    }
  }

  private static long javaMillis(String time) {
    try {
      return OffsetDateTime.parse(time).toInstant().toEpochMilli();
    } catch (java.time.format.DateTimeParseException e) {
      return Long.MIN_VALUE;
    }
  }

  private Event parse(String json) throws InvalidEventException {
    return parser.parse(json.getBytes(StandardCharsets.UTF_8));
  }
}
