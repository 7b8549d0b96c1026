package dev.scoville.rules.template;

import dev.scoville.rules.template.Node.Branch;
import dev.scoville.rules.template.Node.Command;
import dev.scoville.rules.template.Node.Operand;
import dev.scoville.rules.template.Node.Pipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Go's text/template syntax: text, {@code {{ }}} actions with {@code {{-}} and {@code -}}} trim
 * markers and comments, pipelines, variables, literals, and {@code if}/{@code else if}/{@code
 * else}/{@code with}/{@code range}/{@code end}. Functions are checked by name while parsing, as
 * Go does, so an unknown one fails when the rule is loaded.
 */
final class TemplateParser {
  private final String text;
  private final Set<String> functions;
  private int pos;
  /** Tokens of the action being read. */
  private List<Token> tokens;
  private int index;

  /** {@code attached}: a field written right after its receiver, as in {@code $x.a}. */
  private record Token(String kind, String text, Object value, int column, boolean attached) {
    Token(String kind, String text, Object value, int column) {
      this(kind, text, value, column, false);
    }
  }

  TemplateParser(String text, Set<String> functions) {
    this.text = text;
    this.functions = functions;
  }

  List<Node> parse() throws TemplateException {
    List<Node> nodes = new ArrayList<>();
    String stop = list(nodes);
    if (stop != null) {
      throw new TemplateException(lastActionColumn, "unexpected {{" + stop + "}}");
    }
    return nodes;
  }

  private int lastActionColumn;

  /** Reads nodes until the end of the text or an {@code end}/{@code else} action, which it returns. */
  private String list(List<Node> nodes) throws TemplateException {
    while (pos < text.length()) {
      int open = text.indexOf("{{", pos);
      if (open < 0) {
        nodes.add(new Node.Text(text.substring(pos)));
        pos = text.length();
        break;
      }
      String before = text.substring(pos, open);
      boolean trimLeft = text.startsWith("{{- ", open) || text.startsWith("{{-\t", open)
          || text.startsWith("{{-\n", open);
      if (trimLeft) {
        before = before.stripTrailing();
      }
      if (!before.isEmpty()) {
        nodes.add(new Node.Text(before));
      }
      pos = open + (trimLeft ? 3 : 2);
      lastActionColumn = open + 1;
      String keyword = action(nodes, open);
      if (keyword != null) {
        return keyword;
      }
    }
    return null;
  }

  /** One action; returns "end", "else" or "else if" for the caller to close or switch branch. */
  private String action(List<Node> nodes, int open) throws TemplateException {
    int afterSpace = skipSpace(pos);
    if (text.startsWith("/*", afterSpace)) {
      int close = text.indexOf("*/", afterSpace + 2);
      if (close < 0) {
        throw new TemplateException(open + 1, "unclosed comment");
      }
      pos = close + 2;
      endAction(open);
      return null;
    }
    tokens = lex(open);
    index = 0;
    Token first = peek();
    if (first.kind.equals("end")) {
      throw new TemplateException(open + 1, "empty action");
    }
    if (first.kind.equals("ident")) {
      switch (first.text) {
        case "end" -> {
          next();
          expectEnd();
          return "end";
        }
        case "else" -> {
          next();
          if (peek().kind.equals("ident") && peek().text.equals("if")) {
            next();
            pendingElseIf = pipeline(false);
            return "else if";
          }
          expectEnd();
          return "else";
        }
        case "if", "with", "range" -> {
          next();
          nodes.add(branch(Branch.Kind.valueOf(first.text.toUpperCase(java.util.Locale.ROOT)), pipeline(true), first));
          return null;
        }
        case "define", "template", "block", "break", "continue" ->
            throw new TemplateException(first.column, "{{" + first.text + "}} is not supported in alert templates");
        default -> {
          // a function call: read below
        }
      }
    }
    nodes.add(new Node.Action(pipeline(true)));
    return null;
  }

  private Pipeline pendingElseIf;

  private Branch branch(Branch.Kind kind, Pipeline pipeline, Token keyword) throws TemplateException {
    List<Node> body = new ArrayList<>();
    String stop = list(body);
    List<Node> otherwise = new ArrayList<>();
    if (stop == null) {
      throw new TemplateException(keyword.column, "unexpected end of template: {{" + keyword.text
          + "}} needs {{end}}");
    }
    if (stop.equals("else if")) {
      if (kind != Branch.Kind.IF) {
        throw new TemplateException(lastActionColumn, "{{else if}} only follows {{if}}");
      }
      otherwise.add(branch(Branch.Kind.IF, pendingElseIf, keyword));
    } else if (stop.equals("else")) {
      String end = list(otherwise);
      if (!"end".equals(end)) {
        throw new TemplateException(keyword.column, "{{" + keyword.text + "}} … {{else}} needs {{end}}");
      }
    }
    return new Branch(kind, pipeline, body, otherwise);
  }

  private Pipeline pipeline(boolean mayDeclare) throws TemplateException {
    int column = peek().column;
    List<String> variables = new ArrayList<>();
    boolean declares = false;
    if (mayDeclare && peek().kind.equals("var")) {
      int save = index;
      List<String> names = new ArrayList<>();
      names.add(next().text);
      if (peek().kind.equals(",")) {
        next();
        if (peek().kind.equals("var")) {
          names.add(next().text);
        }
      }
      if (peek().kind.equals(":=") || peek().kind.equals("=")) {
        declares = next().kind.equals(":=");
        variables = names;
      } else {
        index = save;
      }
    }
    List<Command> commands = new ArrayList<>();
    while (true) {
      commands.add(command());
      if (peek().kind.equals("|")) {
        next();
        continue;
      }
      if (peek().kind.equals("end") || peek().kind.equals(")")) {
        break;
      }
      throw new TemplateException(peek().column, "unexpected \"" + peek().text + "\" in command");
    }
    if (peek().kind.equals("end")) {
      expectEnd();
    }
    return new Pipeline(variables, declares, commands, column);
  }

  private Command command() throws TemplateException {
    int column = peek().column;
    List<Operand> operands = new ArrayList<>();
    while (true) {
      Token t = peek();
      if (t.kind.equals("end") || t.kind.equals("|") || t.kind.equals(")")) {
        break;
      }
      operands.add(operand());
    }
    if (operands.isEmpty()) {
      throw new TemplateException(column, "missing value for command");
    }
    return new Command(operands, column);
  }

  private Operand operand() throws TemplateException {
    Token t = next();
    Operand base = switch (t.kind) {
      case "ident" -> {
        switch (t.text) {
          case "true", "false" -> {
            yield new Node.Literal(Boolean.valueOf(t.text));
          }
          case "nil" -> {
            yield new Node.Literal(null);
          }
          default -> {
            if (!functions.contains(t.text)) {
              throw new TemplateException(t.column, "function \"" + t.text + "\" not defined");
            }
            yield new Node.Function(t.text, t.column);
          }
        }
      }
      case "string", "number" -> new Node.Literal(t.value);
      case "var" -> new Node.Variable(t.text, t.column);
      case "." -> new Node.Dot();
      case "field" -> new Node.Fields(new Node.Dot(), List.of(t.text), t.column);
      case "(" -> {
        Pipeline inner = pipeline(false);
        if (!next().kind.equals(")")) {
          throw new TemplateException(t.column, "unclosed left paren");
        }
        yield new Node.Nested(inner);
      }
      default -> throw new TemplateException(t.column, "unexpected \"" + t.text + "\" in operand");
    };
    List<String> names = new ArrayList<>();
    while (peek().kind.equals("field") && peek().attached()) {
      names.add(next().text);
    }
    if (names.isEmpty()) {
      return base;
    }
    if (base instanceof Node.Fields fields) {
      List<String> all = new ArrayList<>(fields.names());
      all.addAll(names);
      return new Node.Fields(fields.receiver(), all, fields.column());
    }
    return new Node.Fields(base, names, t.column);
  }

  private void expectEnd() throws TemplateException {
    Token t = next();
    if (!t.kind.equals("end")) {
      throw new TemplateException(t.column, "unexpected \"" + t.text + "\" in action");
    }
  }

  private Token peek() {
    return tokens.get(index);
  }

  private Token next() {
    Token t = tokens.get(index);
    if (index < tokens.size() - 1) {
      index++;
    }
    return t;
  }

  private int skipSpace(int from) {
    int p = from;
    while (p < text.length() && Character.isWhitespace(text.charAt(p))) {
      p++;
    }
    return p;
  }

  private void endAction(int open) throws TemplateException {
    int p = skipSpace(pos);
    if (text.startsWith("-}}", p) && p > pos) {
      pos = skipSpace(p + 3);
    } else if (text.startsWith("}}", p)) {
      pos = p + 2;
    } else {
      throw new TemplateException(open + 1, "unclosed action");
    }
  }

  /** The tokens up to and including the closing {@code }}}, after which {@code pos} stands. */
  private List<Token> lex(int open) throws TemplateException {
    List<Token> out = new ArrayList<>();
    while (true) {
      int start = pos;
      pos = skipSpace(pos);
      boolean spaced = pos > start;
      if (pos >= text.length()) {
        throw new TemplateException(open + 1, "unclosed action");
      }
      int column = pos + 1;
      char c = text.charAt(pos);
      if (text.startsWith("-}}", pos) && spaced) {
        pos = skipSpace(pos + 3);
        out.add(new Token("end", "}}", null, column));
        return out;
      }
      if (text.startsWith("}}", pos)) {
        pos += 2;
        out.add(new Token("end", "}}", null, column));
        return out;
      }
      if (c == '|' || c == '(' || c == ')' || c == ',') {
        pos++;
        out.add(new Token(String.valueOf(c), String.valueOf(c), null, column));
      } else if (text.startsWith(":=", pos)) {
        pos += 2;
        out.add(new Token(":=", ":=", null, column));
      } else if (c == '=') {
        pos++;
        out.add(new Token("=", "=", null, column));
      } else if (c == '"' || c == '`') {
        out.add(string(c, column));
      } else if (c == '$') {
        int end = identifierEnd(pos + 1);
        out.add(new Token("var", text.substring(pos, end), null, column));
        pos = end;
      } else if (c == '.') {
        int end = identifierEnd(pos + 1);
        boolean attached = !spaced && !out.isEmpty() && !out.get(out.size() - 1).kind.matches("[|(,]|:=|=");
        if (end == pos + 1) {
          if (pos + 1 < text.length() && Character.isDigit(text.charAt(pos + 1))) {
            out.add(number(column));
            continue;
          }
          pos++;
          out.add(new Token(".", ".", null, column));
        } else {
          out.add(new Token("field", text.substring(pos + 1, end), null, column, attached));
          pos = end;
        }
      } else if (Character.isDigit(c) || ((c == '-' || c == '+') && pos + 1 < text.length()
          && Character.isDigit(text.charAt(pos + 1)))) {
        out.add(number(column));
      } else if (Character.isLetter(c) || c == '_') {
        int end = identifierEnd(pos);
        out.add(new Token("ident", text.substring(pos, end), null, column));
        pos = end;
      } else {
        throw new TemplateException(column, "unexpected \"" + c + "\" in action");
      }
    }
  }

  private Token number(int column) throws TemplateException {
    int end = pos;
    while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || ".+-_".indexOf(text.charAt(end)) >= 0)) {
      if ((text.charAt(end) == '+' || text.charAt(end) == '-') && end > pos
          && "eEpP".indexOf(text.charAt(end - 1)) < 0) {
        break;
      }
      end++;
    }
    String literal = text.substring(pos, end).replace("_", "");
    pos = end;
    try {
      if (literal.matches("[-+]?(0[xX][0-9a-fA-F]+|\\d+)")) {
        boolean hex = literal.toLowerCase(java.util.Locale.ROOT).contains("0x");
        String digits = hex ? literal.replaceFirst("0[xX]", "") : literal;
        return new Token("number", literal, Long.parseLong(digits, hex ? 16 : 10), column);
      }
      return new Token("number", literal, Double.parseDouble(literal), column);
    } catch (NumberFormatException e) {
      throw new TemplateException(column, "bad number syntax: \"" + literal + "\"");
    }
  }

  private Token string(char quote, int column) throws TemplateException {
    StringBuilder sb = new StringBuilder();
    int p = pos + 1;
    while (p < text.length()) {
      char c = text.charAt(p++);
      if (c == quote) {
        pos = p;
        return new Token("string", text.substring(column - 1, p), sb.toString(), column);
      }
      if (c == '\\' && quote == '"' && p < text.length()) {
        char e = text.charAt(p++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case '\\', '"', '\'' -> sb.append(e);
          default -> throw new TemplateException(p - 1, "unknown escape sequence \\" + e);
        }
      } else if (c == '\n' && quote == '"') {
        break;
      } else {
        sb.append(c);
      }
    }
    throw new TemplateException(column, "unterminated quoted string");
  }

  private int identifierEnd(int from) {
    int end = from;
    while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
      end++;
    }
    return end;
  }
}
