package dev.scoville.rules.template;

import java.util.List;

/** The parsed template: text, actions and the control structures of Go's text/template. */
sealed interface Node {
  record Text(String text) implements Node {}

  /** {@code {{ pipeline }}}: prints the pipeline's value unless it declares or assigns a variable. */
  record Action(Pipeline pipeline) implements Node {}

  /** if / with / range: {@code otherwise} holds the else branch (an else-if is an If in it). */
  record Branch(Kind kind, Pipeline pipeline, List<Node> body, List<Node> otherwise) implements Node {
    enum Kind {
      IF,
      WITH,
      RANGE
    }
  }

  /** Commands joined by {@code |}; {@code variables} are declared ({@code :=}) or assigned ({@code =}). */
  record Pipeline(List<String> variables, boolean declares, List<Command> commands, int column) {}

  /** A function and its arguments, or one operand. */
  record Command(List<Operand> operands, int column) {}

  sealed interface Operand {}

  record Function(String name, int column) implements Operand {}

  /** {@code .}, {@code .a.b}, {@code $x.a} or {@code (pipeline).a}: a receiver and field names. */
  record Fields(Operand receiver, List<String> names, int column) implements Operand {}

  record Dot() implements Operand {}

  record Variable(String name, int column) implements Operand {}

  record Literal(Object value) implements Operand {}

  record Nested(Pipeline pipeline) implements Operand {}
}
