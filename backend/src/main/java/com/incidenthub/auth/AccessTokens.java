package com.incidenthub.auth;

import com.incidenthub.incident.Incident;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The tokens the hub accepts, from AUTH_TOKENS ({@code name:role:secret,...}) and AUTH_TOKENS_FILE (one entry a
 * line, {@code #} comments). No token at all is open mode. Only each token's SHA-256 digest is kept, and a presented
 * token is compared with every digest in constant time. A configuration error names the entry's position, never any
 * part of the entry: a misordered entry would otherwise print its secret.
 */
public record AccessTokens(List<Token> tokens) {
  public static final AccessTokens NONE = new AccessTokens(List.of());

  /** RFC 6750's b64token: what may follow "Bearer ", and so what a token may be made of. */
  static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
  /** A token's name becomes the actor of what it changes, so it follows the actor rule. */
  private static final Pattern NAME = Pattern.compile(Incident.ACTOR_PATTERN);
  private static final Pattern HEX_DIGEST = Pattern.compile("[0-9a-fA-F]{64}");
  private static final String DIGEST_PREFIX = "sha256:";

  public AccessTokens {
    tokens = List.copyOf(tokens);
  }

  /** Reads both settings; either may be absent. Throws IllegalArgumentException for a malformed or duplicate entry. */
  public static AccessTokens parse(Optional<String> inline, Optional<Path> file) {
    List<Entry> entries = new ArrayList<>();
    inline.ifPresent(list -> {
      String[] parts = list.split(",", -1);
      for (int i = 0; i < parts.length; i++) {
        add(entries, parseEntry(parts[i].trim(), "AUTH_TOKENS entry " + (i + 1)));
      }
    });
    file.ifPresent(path -> {
      List<String> lines = readLines(path);
      int before = entries.size();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).trim();
        if (!line.isEmpty() && !line.startsWith("#")) {
          add(entries, parseEntry(line, "AUTH_TOKENS_FILE line " + (i + 1)));
        }
      }
      if (entries.size() == before) {
        throw new IllegalArgumentException("AUTH_TOKENS_FILE " + path + " holds no token entry; "
            + "write one name:role:secret entry a line, or unset AUTH_TOKENS_FILE for open mode");
      }
    });
    return new AccessTokens(entries.stream().map(Entry::token).toList());
  }

  /** Open mode: no token was configured, so every request is anonymous and may do everything. */
  public boolean isEmpty() {
    return tokens.isEmpty();
  }

  public List<String> names() {
    return tokens.stream().map(Token::name).toList();
  }

  /** The token whose digest matches; every digest is compared, so the time taken does not depend on which matched. */
  public Optional<Token> find(String presented) {
    byte[] digest = sha256(presented);
    Token match = null;
    for (Token token : tokens) {
      if (MessageDigest.isEqual(token.digest(), digest)) {
        match = token;
      }
    }
    return Optional.ofNullable(match);
  }

  private static Entry parseEntry(String entry, String position) {
    String[] fields = entry.split(":", 3);
    if (fields.length != 3) {
      throw invalid(position, "is not name:role:secret");
    }
    if (!NAME.matcher(fields[0]).matches() || Incident.ANONYMOUS.equals(fields[0])) {
      throw invalid(position, "has an invalid name: 1-64 characters of A-Z, a-z, 0-9, '.', '_' or '-', starting "
          + "with a letter or digit, and not \"" + Incident.ANONYMOUS + "\"");
    }
    Role role = Role.parse(fields[1])
        .orElseThrow(() -> invalid(position, "has an unknown role; roles are " + Role.NAMES));
    String secret = fields[2];
    if (secret.startsWith(DIGEST_PREFIX)) {
      String hex = secret.substring(DIGEST_PREFIX.length());
      if (!HEX_DIGEST.matcher(hex).matches()) {
        throw invalid(position, "has an invalid digest: sha256: must be followed by 64 hexadecimal characters");
      }
      return new Entry(new Token(fields[0], role, HexFormat.of().parseHex(hex)), position);
    }
    if (!TOKEN.matcher(secret).matches()) {
      throw invalid(position, "has an invalid token: use A-Z, a-z, 0-9 and - . _ ~ + / (for example the output of "
          + "openssl rand -hex 32), or sha256:<hex digest of the token>");
    }
    return new Entry(new Token(fields[0], role, sha256(secret)), position);
  }

  private static void add(List<Entry> entries, Entry added) {
    for (Entry existing : entries) {
      if (existing.token().name().equals(added.token().name())) {
        throw invalid(added.position(), "has the same name as " + existing.position());
      }
      if (MessageDigest.isEqual(existing.token().digest(), added.token().digest())) {
        throw invalid(added.position(), "has the same token as " + existing.position());
      }
    }
    entries.add(added);
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("AUTH_TOKENS_FILE " + file + " cannot be read (" + e.getClass().getSimpleName()
          + ")", e);
    }
  }

  private static IllegalArgumentException invalid(String position, String problem) {
    return new IllegalArgumentException(position + " " + problem);
  }

  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Names and count only: this is what the start-up line shows. */
  @Override
  public String toString() {
    return isEmpty() ? "(none: open mode)" : tokens.size() + " tokens " + names();
  }

  /** One accepted token: its name (the actor), its role, and its SHA-256 digest; the token itself is not kept. */
  public record Token(String name, Role role, byte[] digest) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Token that && name.equals(that.name) && role == that.role
          && Arrays.equals(digest, that.digest);
    }

    @Override
    public int hashCode() {
      return name.hashCode() * 31 + Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
      return name + " (" + role.label() + ")";
    }
  }

  /** A token and where it was configured, for the messages about duplicates. */
  private record Entry(Token token, String position) {}
}
