package dev.scoville.runbooks;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.Heading;
import org.commonmark.node.Link;
import org.commonmark.node.Text;
import org.commonmark.node.Node;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.html.HtmlWriter;

/**
 * Reads one runbook: YAML front matter between {@code ---} lines, then Markdown. The front matter
 * is read with a YAML parser of its own so that every rule and action keeps its line.
 */
final class RunbookParser {
  static final String ACTION_SCHEME = "action:";
  /** {@code [text](<query:PromQL>)}: a link to the console's chart of that expression. */
  static final String QUERY_SCHEME = "query:";
  private static final YAMLFactory YAML = new YAMLFactory();
  private static final Parser MARKDOWN =
      Parser.builder().includeSourceSpans(IncludeSourceSpans.BLOCKS_AND_INLINES).build();
  // Runbooks are shown inside the console: raw HTML and javascript: links stay out.
  private static final HtmlRenderer HTML =
      HtmlRenderer.builder()
          .escapeHtml(true)
          .sanitizeUrls(true)
          .nodeRendererFactory(ActionButtons::new)
          .build();

  private RunbookParser() {}

  /** The parsed runbook, or null when it is too broken to show; problems go to {@code problems}. */
  static Runbook parse(String source, String text, List<RunbookProblem> problems) {
    String[] lines = text.replace("\r\n", "\n").split("\n", -1);
    if (lines.length == 0 || !lines[0].strip().equals("---")) {
      problems.add(
          new RunbookProblem(
              source,
              1,
              "missing front matter: start with a line '---', then title, rules, actions, then"
                  + " '---'"));
      return null;
    }
    int end = 1;
    while (end < lines.length && !lines[end].strip().equals("---")) {
      end++;
    }
    if (end == lines.length) {
      problems.add(new RunbookProblem(source, 1, "front matter is not closed by a line '---'"));
      return null;
    }
    String frontMatter = String.join("\n", java.util.Arrays.copyOfRange(lines, 1, end));
    FrontMatter fm = frontMatter(source, frontMatter, problems);
    if (fm == null) {
      return null;
    }
    if (fm.title == null) {
      problems.add(new RunbookProblem(source, 1, "missing title in the front matter"));
    }
    int bodyOffset = end + 1;
    String body = String.join("\n", java.util.Arrays.copyOfRange(lines, bodyOffset, lines.length));
    Node document = MARKDOWN.parse(body);
    List<Runbook.Reference> references = new ArrayList<>(fm.references);
    List<String> stepTitles = new ArrayList<>();
    List<List<String>> stepActions = new ArrayList<>();
    document.accept(
        new AbstractVisitor() {
          @Override
          public void visit(Heading heading) {
            if (heading.getLevel() == 2) {
              stepTitles.add(text(heading).strip());
              stepActions.add(new ArrayList<>());
            }
            visitChildren(heading);
          }

          @Override
          public void visit(Link link) {
            if (link.getDestination().startsWith(ACTION_SCHEME)) {
              int line =
                  link.getSourceSpans().isEmpty() ? 0 : link.getSourceSpans().get(0).getLineIndex();
              String action = link.getDestination().substring(ACTION_SCHEME.length());
              references.add(
                  new Runbook.Reference(Runbook.Kind.ACTION_LINK, action, bodyOffset + line + 1));
              if (!stepActions.isEmpty() && !stepActions.get(stepActions.size() - 1).contains(action)) {
                stepActions.get(stepActions.size() - 1).add(action);
              }
            }
            visitChildren(link);
          }
        });
    List<Runbook.Step> steps = new ArrayList<>();
    for (int i = 0; i < stepTitles.size(); i++) {
      steps.add(new Runbook.Step(stepTitles.get(i), stepActions.get(i)));
    }
    List<String> rules = new ArrayList<>();
    List<String> actions = new ArrayList<>();
    for (Runbook.Reference r : fm.references) {
      (r.kind() == Runbook.Kind.RULE ? rules : actions).add(r.name());
    }
    return new Runbook(
        source,
        fm.title == null ? source : fm.title,
        rules,
        actions,
        HTML.render(document),
        references,
        steps);
  }

  /** A heading's words as a reader sees them: its text and code, without the Markdown. */
  private static String text(Node node) {
    StringBuilder text = new StringBuilder();
    node.accept(
        new AbstractVisitor() {
          @Override
          public void visit(Text t) {
            text.append(t.getLiteral());
          }

          @Override
          public void visit(Code code) {
            text.append(code.getLiteral());
          }
        });
    return text.toString();
  }

  private record FrontMatter(String title, List<Runbook.Reference> references) {}

  /** Front matter lines count from 2: line 1 is the opening {@code ---}. */
  private static FrontMatter frontMatter(
      String source, String yaml, List<RunbookProblem> problems) {
    String title = null;
    List<Runbook.Reference> references = new ArrayList<>();
    try (JsonParser p = YAML.createParser(yaml)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return new FrontMatter(null, references);
      }
      if (first != JsonToken.START_OBJECT) {
        problems.add(
            new RunbookProblem(
                source, line(p), "front matter must be a mapping of title, rules, actions"));
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        int keyLine = line(p);
        JsonToken value = p.nextToken();
        switch (key) {
          case "title" -> {
            if (value.isScalarValue() && !p.getText().isBlank()) {
              title = p.getText();
            } else {
              problems.add(new RunbookProblem(source, keyLine, "title must be a text"));
              p.skipChildren();
            }
          }
          case "rules", "actions" -> {
            Runbook.Kind kind = key.equals("rules") ? Runbook.Kind.RULE : Runbook.Kind.ACTION;
            if (value == JsonToken.START_ARRAY) {
              while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken().isScalarValue()) {
                  references.add(new Runbook.Reference(kind, p.getText(), line(p)));
                } else {
                  problems.add(new RunbookProblem(source, line(p), key + " must list names"));
                  p.skipChildren();
                }
              }
            } else if (value.isScalarValue()) {
              references.add(new Runbook.Reference(kind, p.getText(), line(p)));
            } else {
              problems.add(new RunbookProblem(source, keyLine, key + " must list names"));
              p.skipChildren();
            }
          }
          default -> {
            problems.add(
                new RunbookProblem(
                    source,
                    keyLine,
                    "unknown front matter key " + key + " (expected title, rules, actions)"));
            p.skipChildren();
          }
        }
      }
      return new FrontMatter(title, references);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      problems.add(
          new RunbookProblem(
              source,
              line + 1,
              "front matter is not valid YAML: "
                  + e.getOriginalMessage().lines().findFirst().orElse("")));
      return null;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int line(JsonParser p) {
    return p.currentTokenLocation().getLineNr() + 1;
  }

  /**
   * Renders {@code [text](action:name)} as a button placeholder, {@code [text](<query:expr>)} as a
   * link to the console's chart of the expression, other links as links.
   */
  private static final class ActionButtons implements NodeRenderer {
    private final HtmlNodeRendererContext context;
    private final HtmlWriter html;

    ActionButtons(HtmlNodeRendererContext context) {
      this.context = context;
      this.html = context.getWriter();
    }

    @Override
    public Set<Class<? extends Node>> getNodeTypes() {
      return Set.of(Link.class);
    }

    @Override
    public void render(Node node) {
      Link link = (Link) node;
      String destination = link.getDestination();
      Map<String, String> attributes = new LinkedHashMap<>();
      String tag;
      if (destination.startsWith(ACTION_SCHEME)) {
        tag = "button";
        attributes.put("type", "button");
        attributes.put("class", "runbook-action");
        attributes.put("data-action", destination.substring(ACTION_SCHEME.length()));
      } else if (destination.startsWith(QUERY_SCHEME)) {
        tag = "a";
        attributes.put("class", "runbook-query");
        // relative, as the console's own links are: it resolves against the console's root
        attributes.put("href", "chart?query="
            + URLEncoder.encode(destination.substring(QUERY_SCHEME.length()), StandardCharsets.UTF_8));
      } else {
        tag = "a";
        String url = destination;
        if (context.shouldSanitizeUrls()) {
          url = context.urlSanitizer().sanitizeLinkUrl(url);
          attributes.put("rel", "nofollow");
        }
        attributes.put("href", context.encodeUrl(url));
        if (link.getTitle() != null) {
          attributes.put("title", link.getTitle());
        }
      }
      html.tag(tag, context.extendAttributes(link, tag, attributes));
      for (Node child = link.getFirstChild(); child != null; child = child.getNext()) {
        context.render(child);
      }
      html.tag("/" + tag);
    }
  }
}
