package dev.scoville.collector.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoville.shop.Scenario;
import dev.scoville.shop.ShopEvent;
import dev.scoville.shop.ShopSimulator;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bytes reader against Jackson's: whatever {@link EventBytesReader} reads must be exactly what
 * {@link JacksonEventReader} reads, and {@link EventParser} must answer as Jackson does on every
 * input, the same event or the same refusal (reason and message).
 */
class EventParserDifferentialTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<byte[]> DEMO_MIX = new ArrayList<>();

  /** Values a field might wrongly (or unusually) hold. */
  private static final List<JsonNode> ODD_VALUES =
      List.of(
          NODES.nullNode(),
          NODES.booleanNode(true),
          NODES.numberNode(12),
          NODES.numberNode(-3),
          NODES.numberNode(0),
          NODES.numberNode(1.5),
          NODES.numberNode(-0.0),
          NODES.numberNode(1e300),
          NODES.numberNode(new BigInteger("123456789012345678901234")),
          NODES.textNode(""),
          NODES.textNode("x"),
          NODES.textNode("2026-11-23T12:00:00Z"),
          NODES.textNode("größe ✓"),
          NODES.textNode("tab\there \"quoted\" back\\slash"),
          NODES.objectNode().put("a", 1),
          NODES.arrayNode().add(1));

  @BeforeAll
  static void demoMix() throws Exception {
    List<ShopEvent> emitted = new ArrayList<>();
    ShopSimulator shop =
        new ShopSimulator(
            Scenario.DEMO,
            50,
            Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC),
            7);
    shop.onEvent(emitted::add);
    shop.tick(Duration.ofSeconds(30));
    for (ShopEvent event : emitted) {
      DEMO_MIX.add(JSON.writeValueAsBytes(event.asJsonObject()));
    }
    for (String event : FixedShopEvents.EVENTS) {
      DEMO_MIX.add(event.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void theBytesReaderReadsEveryEventOfTheDemoMixAsJacksonDoes() throws Exception {
    EventBytesReader reader = new EventBytesReader();
    JacksonEventReader jackson = new JacksonEventReader();
    assertThat(DEMO_MIX).hasSizeGreaterThan(300);
    for (byte[] json : DEMO_MIX) {
      assertThat(reader.read(json)).as(text(json)).isNotNull().isEqualTo(jackson.parse(json));
    }
  }

  @Test
  void agreesWhenFieldsAreReorderedSpacedOutMissingOrOfTheWrongType() throws Exception {
    int fast = 0;
    int inputs = 0;
    for (byte[] base : DEMO_MIX.subList(0, 120)) {
      ObjectNode event = (ObjectNode) JSON.readTree(base);
      fast += agree(JSON.writeValueAsBytes(reversed(event))) ? 1 : 0;
      fast += agree(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(event)) ? 1 : 0;
      // Between tokens only: a comma before a name, a colon after one.
      String spaced = text(base).replace(",\"", " ,\n\t\"").replace("\":", "\" :  ");
      fast += agree(("\r\n\t " + spaced + " \n").getBytes(StandardCharsets.UTF_8)) ? 1 : 0;
      inputs += 3;
      for (Map.Entry<String, JsonNode> field : event.properties()) {
        String name = field.getKey();
        ObjectNode without = event.deepCopy();
        without.remove(name);
        agree(JSON.writeValueAsBytes(without));
        for (JsonNode odd : ODD_VALUES) {
          agree(JSON.writeValueAsBytes(event.deepCopy().set(name, odd)));
        }
        inputs += 1 + ODD_VALUES.size();
      }
      for (JsonNode odd : ODD_VALUES) {
        agree(JSON.writeValueAsBytes(event.deepCopy().set("extra", odd)));
        inputs++;
      }
    }
    // Reordered and spaced-out events are still of the usual shape.
    assertThat(fast).isEqualTo(360);
    assertThat(inputs).isGreaterThan(10_000);
  }

  @Test
  void agreesOnAwkwardInputs() {
    String view =
        "{\"type\":\"page_view\",\"time\":\"2026-11-23T12:00:00.250Z\",\"shop\":\"eu\","
            + "\"session\":\"s1\",\"page\":\"/cart\",\"load_ms\":%s,\"js_errors\":%s}";
    List<String> inputs =
        new ArrayList<>(
            List.of(
                // escapes and unicode
                "{\"type\":\"page_view\",\"time\":\"2026-11-23T12:00:00Z\",\"session\":\"s\\u0031\","
                    + "\"page\":\"\\/cart\",\"load_ms\":1}",
                "{\"ty\\u0070e\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":2}",
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00\\u005a\",\"score\":2}",
                "{\"type\":\"page_view\",\"time\":\"2026-11-23T12:00:00Z\",\"session\":\"s€\","
                    + "\"page\":\"/größe\",\"load_ms\":1}",
                "{\"type\":\"page_view\",\"time\":\"2026-11-23T12:00:00Z\",\"session\":\"s\\ud83c\\udf36\","
                    + "\"page\":\"/\",\"load_ms\":1}",
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":2,\"comment\":\"hot"
                    + "\\nvery\"}",
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":2,\"comment\":\"raw"
                    + "\ttab\"}",
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":2,\"comment\":\"del"
                    + "\u007f\"}",
                // field order, duplicates, nulls, unknown fields
                "{\"score\":3,\"time\":\"2026-11-23T12:00:00Z\",\"type\":\"feedback\"}",
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3,\"score\":4}",
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":\"x\",\"score\":4}",
                "{\"type\":\"feedback\",\"type\":\"page_view\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3}",
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3,\"comment\":null}",
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3,\"shop\":null}",
                "{\"type\":null,\"time\":\"2026-11-23T12:00:00Z\",\"score\":3}",
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3,\"x\":true,\"y\":false,"
                    + "\"z\":null,\"w\":-0.5,\"v\":\"\",\"u\":[],\"t\":{}}",
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3,\"x\":tru}",
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3,\"x\":nullx}",
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3,\"x\":01}",
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3,\"x\":1.}",
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3,\"x\":.5}",
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3,\"x\":+1}",
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3,\"x\":NaN}",
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3,\"x\":-}",
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3,\"x\":1e5}",
                // missing fields and the empty object
                "{}",
                " { } ",
                "{\"type\":\"feedback\"}",
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\"}",
                "{\"type\":\"payment_result\",\"time\":\"2026-11-23T12:00:00Z\",\"order\":\"o\","
                    + "\"provider\":\"p\"}",
                "{\"type\":\"payment_result\",\"time\":\"2026-11-23T12:00:00Z\",\"order\":\"o\","
                    + "\"provider\":\"p\",\"outcome\":\"Success\"}",
                "{\"type\":\"order_placed\",\"time\":\"2026-11-23T12:00:00Z\",\"session\":\"s\","
                    + "\"order\":\"o\",\"amount\":1,\"currency\":\"\"}",
                "{\"type\":\"order_placed\",\"time\":\"2026-11-23T12:00:00Z\",\"session\":\"s\","
                    + "\"order\":\"o\",\"amount\":1,\"currency\":\"EUR\",\"completion_ms\":-1}",
                "{\"type\":\"inventory_level\",\"time\":\"2026-11-23T12:00:00Z\",\"sku\":\"A\","
                    + "\"level\":-4.25}",
                "{\"type\":\"PAGE_VIEW\",\"time\":\"2026-11-23T12:00:00Z\"}",
                // broken JSON, trailing content, not an object
                "",
                " ",
                "null",
                "[]",
                "\"page_view\"",
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3}x",
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3}{}",
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3},",
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3,}",
                "{\"type\":\"feedback\",,\"time\":\"2026-11-23T12:00:00Z\",\"score\":3}",
                "{\"type\" \"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3}",
                "{'type':'feedback','time':'2026-11-23T12:00:00Z','score':3}",
                "{type:\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3}",
                "\ufeff{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3}",
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3} // hot",
                "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3\u000b}"));
    // numbers: exponents, signs, leading zeros, digits a double cannot hold, wrong kinds
    for (String number :
        List.of(
            "812", "812.5", "812.50", "8.125e2", "8125E-1", "0", "-0", "-0.0", "0.0", "00", "012",
            "0.1", "0.3", "1.7976931348623157e308", "1e400", "4.9e-324", "123456789012345.6",
            "1234567890123456.7", "12345678901234567890", "9007199254740993", "-5", "1.", ".5",
            "+1", "1.5.3", "\"812\"", "true", "null", "[812]", "0.000000000000001",
            "0.1234567890123456789")) {
      inputs.add(view.formatted(number, "0"));
      inputs.add(view.formatted("1", number));
      inputs.add(
          "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":" + number + "}");
    }
    // times
    for (String time :
        List.of(
            "2026-11-23T12:00:00Z", "2026-11-23t12:00:00z", "2026-11-23T12:00:00.1+01:00",
            "2026-11-23T12:00:00.123456789-05:30", "2026-11-23T12:00:00.1234567890Z",
            "2026-11-23T12:00:00.Z", "2026-11-23 12:00:00Z", "2026-11-23T12:00:00", "2024-02-29T00:00:00Z",
            "2026-02-29T00:00:00Z", "2026-11-23T24:00:00Z", "2026-11-23T12:60:00Z",
            "2026-11-23T12:00:00+19:00", "2026-11-23T12:00:00+0100", "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999Z", "2026-11-23T12:00:00ZZ", "２026-11-23T12:00:00Z", "")) {
      inputs.add(
          "{\"type\":\"feedback\",\"time\":\"" + time + "\",\"score\":3}");
    }
    for (String input : inputs) {
      agree(input.getBytes(StandardCharsets.UTF_8));
    }
    // bytes that are not UTF-8
    agree(new byte[] {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xc3, '"', '}'});
    agree(
        ("{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3,\"comment\":\"\u00ff\"}")
            .getBytes(StandardCharsets.ISO_8859_1));
    agree(null);
  }

  @Test
  void agreesOnEveryPrefixOfAnEventAndOnRandomlyDamagedOnes() {
    Random random = new Random(11);
    for (byte[] base : DEMO_MIX.subList(0, 10)) {
      for (int length = 0; length <= base.length; length++) {
        agree(Arrays.copyOf(base, length));
      }
    }
    for (int i = 0; i < 20_000; i++) {
      byte[] base = DEMO_MIX.get(random.nextInt(DEMO_MIX.size()));
      agree(damaged(base, random));
    }
  }

  @Test
  void aBatchReadsAsJacksonReadsIt() throws Exception {
    EventParser parser = new EventParser();
    JacksonEventReader jackson = new JacksonEventReader();
    String events = String.join(",", DEMO_MIX.stream().map(EventParserDifferentialTest::text).toList());
    List<String> batches =
        List.of(
            "[" + events + "]",
            " [ ] ",
            "[" + events + ",{\"type\":\"feedback\"},7]",
            "[" + events + ",{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00\\u005a\",\"score\":2}]",
            "[" + events + ",]",
            "[" + events,
            "[" + events + "] []",
            "{\"type\":\"feedback\",\"time\":\"2026-11-23T12:00:00Z\",\"score\":3}",
            "");
    for (String batch : batches) {
      byte[] json = batch.getBytes(StandardCharsets.UTF_8);
      assertThat(outcome(() -> describe(parser.parseArray(json))))
          .as(batch.length() > 200 ? batch.substring(batch.length() - 200) : batch)
          .isEqualTo(outcome(() -> describe(jackson.parseArray(json))));
    }
    assertThat(parser.parseArray(("[" + events + "]").getBytes(StandardCharsets.UTF_8)).events())
        .hasSize(DEMO_MIX.size());
  }

  /**
   * Checks that the bytes reader, when it reads {@code json} at all, reads what Jackson reads, and
   * that {@link EventParser} answers as Jackson does; true when the bytes reader read it.
   */
  private static boolean agree(byte[] json) {
    Object expected = outcome(() -> new JacksonEventReader().parse(json));
    Event fast = new EventBytesReader().read(json);
    String shown = json == null ? "null" : text(json);
    if (fast != null) {
      assertThat(fast).as(shown).isEqualTo(expected);
    }
    assertThat(outcome(() -> new EventParser().parse(json))).as(shown).isEqualTo(expected);
    return fast != null;
  }

  /** The event, or the refusal as "reason: message". */
  private static Object outcome(Parse parse) {
    try {
      return parse.run();
    } catch (InvalidEventException e) {
      return e.reason() + ": " + e.getMessage();
    }
  }

  private static String describe(EventParser.Batch batch) {
    StringBuilder out = new StringBuilder();
    batch.events().forEach(e -> out.append(e).append('\n'));
    for (EventParser.Rejection r : batch.rejections()) {
      out.append(r.index()).append(' ').append(r.problem().reason()).append(' ')
          .append(r.problem().getMessage()).append('\n');
    }
    return out.toString();
  }

  private static ObjectNode reversed(ObjectNode event) {
    List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
    fields.addAll(event.properties());
    ObjectNode out = NODES.objectNode();
    for (int i = fields.size() - 1; i >= 0; i--) {
      out.set(fields.get(i).getKey(), fields.get(i).getValue());
    }
    return out;
  }

  /** One byte changed, removed or added, or two swapped, from the bytes JSON may hold. */
  private static byte[] damaged(byte[] base, Random random) {
    byte[] alphabet = "{}[]\":,.-+eE0123456789 \\tnulrsxZT\u0000\n".getBytes(StandardCharsets.UTF_8);
    int at = random.nextInt(base.length);
    byte b = alphabet[random.nextInt(alphabet.length)];
    return switch (random.nextInt(4)) {
      case 0 -> {
        byte[] out = base.clone();
        out[at] = b;
        yield out;
      }
      case 1 -> {
        byte[] out = new byte[base.length - 1];
        System.arraycopy(base, 0, out, 0, at);
        System.arraycopy(base, at + 1, out, at, base.length - at - 1);
        yield out;
      }
      case 2 -> {
        byte[] out = new byte[base.length + 1];
        System.arraycopy(base, 0, out, 0, at);
        out[at] = b;
        System.arraycopy(base, at, out, at + 1, base.length - at);
        yield out;
      }
      default -> {
        byte[] out = base.clone();
        int other = random.nextInt(base.length);
        out[at] = base[other];
        out[other] = base[at];
        yield out;
      }
    };
  }

  private static String text(byte[] json) {
    return new String(json, StandardCharsets.UTF_8);
  }

  private interface Parse {
    Object run() throws InvalidEventException;
  }
}
