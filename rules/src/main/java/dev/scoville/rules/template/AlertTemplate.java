package dev.scoville.rules.template;

import dev.scoville.rules.template.Node.Branch;
import dev.scoville.rules.template.Node.Command;
import dev.scoville.rules.template.Node.Operand;
import dev.scoville.rules.template.Node.Pipeline;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An annotation or label of an alerting rule, in Go's template syntax, rendered as Prometheus
 * renders it: the same data ({@code $labels}, {@code $value}, {@code $externalLabels}, {@code
 * $externalURL}), Prometheus's functions ({@code humanize*}, {@code printf}, {@code title}, {@code
 * reReplaceAll}, {@code query}, …) and Go's printing of numbers. Parsed once, when the rule is
 * loaded; immutable and safe to render from several threads.
 */
public final class AlertTemplate {
  private final String text;
  private final List<Node> nodes;

  private AlertTemplate(String text, List<Node> nodes) {
    this.text = text;
    this.nodes = nodes;
  }

  /** Parses a template; an unknown function or broken syntax throws with its column. */
  public static AlertTemplate parse(String text) throws TemplateException {
    return new AlertTemplate(text, List.copyOf(new TemplateParser(text, TemplateFunctions.NAMES).parse()));
  }

  /** Whether the text has no action at all, so rendering returns it as it is. */
  public boolean isPlainText() {
    return !text.contains("{{");
  }

  /**
   * The rendered text; a failure while executing yields Prometheus's {@code <error expanding
   * template: …>} instead, so that the alert still goes out.
   */
  public String render(TemplateData data) {
    if (isPlainText()) {
      return text;
    }
    try {
      StringBuilder out = new StringBuilder();
      new Execution(data).run(nodes, Root.of(data), out);
      return out.toString();
    } catch (ExecutionException e) {
      return "<error expanding template: " + e.getMessage() + ">";
    }
  }

  @Override
  public String toString() {
    return text;
  }

  /** A failure while rendering, e.g. a function given a value of the wrong type. */
  static final class ExecutionException extends Exception {
    ExecutionException(String message) {
      super(message);
    }
  }

  /** Go's {@code tmplData} struct: its fields are looked up by name, an unknown one is an error. */
  record Root(Map<String, Object> fields) {
    static Root of(TemplateData data) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("Labels", data.labels());
      fields.put("ExternalLabels", data.externalLabels());
      fields.put("ExternalURL", data.externalUrl());
      fields.put("Value", data.value());
      return new Root(fields);
    }
  }

  /** One sample of a {@code query} result: {@code .Labels} and {@code .Value}, as Prometheus's. */
  record QuerySample(Map<String, String> labels, double value) {}

  private static final class Execution {
    private final TemplateData data;
    private final Deque<Map<String, Object>> scopes = new ArrayDeque<>();

    Execution(TemplateData data) {
      this.data = data;
      Map<String, Object> globals = new HashMap<>();
      globals.put("$labels", data.labels());
      globals.put("$externalLabels", data.externalLabels());
      globals.put("$externalURL", data.externalUrl());
      globals.put("$value", data.value());
      scopes.push(globals);
    }

    void run(List<Node> nodes, Object dot, StringBuilder out) throws ExecutionException {
      for (Node node : nodes) {
        if (node instanceof Node.Text t) {
          out.append(t.text());
        } else if (node instanceof Node.Action a) {
          Object value = pipeline(a.pipeline(), dot, true);
          if (a.pipeline().variables().isEmpty()) {
            out.append(GoValues.print(value));
          }
        } else {
          branch((Branch) node, dot, out);
        }
      }
    }

    private void branch(Branch branch, Object dot, StringBuilder out) throws ExecutionException {
      scopes.push(new HashMap<>());
      try {
        Object value = pipeline(branch.pipeline(), dot, branch.kind() != Branch.Kind.RANGE);
        switch (branch.kind()) {
          case IF -> run(GoValues.truth(value) ? branch.body() : branch.otherwise(), dot, out);
          case WITH -> {
            if (GoValues.truth(value)) {
              run(branch.body(), value, out);
            } else {
              run(branch.otherwise(), dot, out);
            }
          }
          case RANGE -> range(branch, value, dot, out);
        }
      } finally {
        scopes.pop();
      }
    }

    private void range(Branch branch, Object value, Object dot, StringBuilder out) throws ExecutionException {
      List<Map.Entry<Object, Object>> elements = new ArrayList<>();
      if (value instanceof List<?> list) {
        for (int i = 0; i < list.size(); i++) {
          elements.add(Map.entry((long) i, list.get(i)));
        }
      } else if (value instanceof Map<?, ?> map) {
        new java.util.TreeMap<>(map).forEach((k, v) -> elements.add(Map.entry(k, v)));
      } else if (value != null) {
        throw new ExecutionException("range can't iterate over " + GoValues.print(value));
      }
      if (elements.isEmpty()) {
        run(branch.otherwise(), dot, out);
        return;
      }
      List<String> variables = branch.pipeline().variables();
      for (Map.Entry<Object, Object> element : elements) {
        if (variables.size() == 1) {
          scopes.peek().put(variables.get(0), element.getValue());
        } else if (variables.size() == 2) {
          scopes.peek().put(variables.get(0), element.getKey());
          scopes.peek().put(variables.get(1), element.getValue());
        }
        run(branch.body(), element.getValue(), out);
      }
    }

    /** The pipeline's value; {@code assign}: into its variables (a range assigns elements instead). */
    private Object pipeline(Pipeline pipeline, Object dot, boolean assign) throws ExecutionException {
      Object value = null;
      boolean piped = false;
      for (Command command : pipeline.commands()) {
        value = command(command, dot, value, piped);
        piped = true;
      }
      if (assign && !pipeline.variables().isEmpty()) {
        assign(pipeline.variables().get(0), value, pipeline.declares());
      }
      return value;
    }

    private void assign(String name, Object value, boolean declare) throws ExecutionException {
      if (declare) {
        scopes.peek().put(name, value);
        return;
      }
      for (Map<String, Object> scope : scopes) {
        if (scope.containsKey(name)) {
          scope.put(name, value);
          return;
        }
      }
      throw new ExecutionException("undefined variable: " + name);
    }

    private Object command(Command command, Object dot, Object piped, boolean hasPiped) throws ExecutionException {
      List<Operand> operands = command.operands();
      if (operands.get(0) instanceof Node.Function function) {
        List<Object> args = new ArrayList<>();
        if (function.name().equals("and") || function.name().equals("or")) {
          return andOr(function.name().equals("and"), operands, dot, piped, hasPiped);
        }
        for (int i = 1; i < operands.size(); i++) {
          args.add(operand(operands.get(i), dot));
        }
        if (hasPiped) {
          args.add(piped);
        }
        return TemplateFunctions.call(function.name(), args, data);
      }
      if (operands.size() > 1 || hasPiped) {
        throw new ExecutionException("can't give argument to non-function " + describe(operands.get(0)));
      }
      return operand(operands.get(0), dot);
    }

    /** Go 1.18's and/or: the first falsy (truthy) argument, evaluated no further than needed. */
    private Object andOr(boolean and, List<Operand> operands, Object dot, Object piped, boolean hasPiped)
        throws ExecutionException {
      Object last = null;
      int count = operands.size() - 1 + (hasPiped ? 1 : 0);
      if (count == 0) {
        throw new ExecutionException("wrong number of args for " + (and ? "and" : "or") + ": want at least 1 got 0");
      }
      for (int i = 1; i <= count; i++) {
        last = i < operands.size() ? operand(operands.get(i), dot) : piped;
        if (GoValues.truth(last) != and) {
          return last;
        }
      }
      return last;
    }

    private Object operand(Operand operand, Object dot) throws ExecutionException {
      if (operand instanceof Node.Literal literal) {
        return literal.value();
      }
      if (operand instanceof Node.Dot) {
        return dot;
      }
      if (operand instanceof Node.Variable variable) {
        return variable(variable.name(), dot);
      }
      if (operand instanceof Node.Nested nested) {
        return pipeline(nested.pipeline(), dot, false);
      }
      if (operand instanceof Node.Fields fields) {
        Object value = operand(fields.receiver(), dot);
        for (String name : fields.names()) {
          value = field(value, name);
        }
        return value;
      }
      throw new ExecutionException("can't evaluate " + describe(operand));
    }

    private Object variable(String name, Object dot) throws ExecutionException {
      if (name.equals("$")) {
        return Root.of(data);
      }
      for (Map<String, Object> scope : scopes) {
        if (scope.containsKey(name)) {
          return scope.get(name);
        }
      }
      throw new ExecutionException("undefined variable: " + name);
    }

    /** A map's missing key is the empty string, as Prometheus's {@code missingkey=zero} makes it. */
    private static Object field(Object receiver, String name) throws ExecutionException {
      if (receiver instanceof Root root) {
        if (!root.fields().containsKey(name)) {
          throw new ExecutionException("can't evaluate field " + name + " in type template.tmplData");
        }
        return root.fields().get(name);
      }
      if (receiver instanceof QuerySample sample) {
        return switch (name) {
          case "Labels" -> sample.labels();
          case "Value" -> sample.value();
          default -> throw new ExecutionException("can't evaluate field " + name + " in type template.sample");
        };
      }
      if (receiver instanceof Map<?, ?> map) {
        Object value = map.get(name);
        return value == null ? "" : value;
      }
      throw new ExecutionException("can't evaluate field " + name + " in type " + GoValues.typeName(receiver));
    }

    private static String describe(Operand operand) {
      return operand instanceof Node.Function f ? f.name() : operand.toString();
    }
  }
}
