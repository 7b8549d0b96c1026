package dev.scoville.console;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * {@code java -cp scoville.jar dev.scoville.console.HashPassword}: asks for a password (twice, at
 * a terminal; one line on standard input otherwise) and prints its bcrypt hash for {@code
 * users[].password}. The password is read, never taken as an argument: arguments end up in shell
 * history and in {@code ps}.
 */
public final class HashPassword {
  /** 2^12 rounds: about a quarter second per check on a small server, once per sign-in. */
  static final int COST = 12;

  private HashPassword() {}

  public static void main(String[] args) throws IOException {
    String password = read();
    if (password == null || password.isEmpty()) {
      System.err.println("no password given");
      System.exit(2);
      return;
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > 72) {
      System.err.println("bcrypt reads at most 72 bytes of a password: choose a shorter one");
      System.exit(2);
      return;
    }
    System.out.println(hash(password));
  }

  static String hash(String password) {
    return BCrypt.hashpw(password, BCrypt.gensalt(COST));
  }

  private static String read() throws IOException {
    Console console = System.console();
    if (console == null) {
      return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
    char[] first = console.readPassword("Password: ");
    char[] again = console.readPassword("Again: ");
    if (first == null || !Arrays.equals(first, again)) {
      System.err.println("the two passwords differ");
      System.exit(2);
    }
    return new String(first);
  }
}
