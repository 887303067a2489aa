package com.incidenthub.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("AUTH_TOKENS and AUTH_TOKENS_FILE")
class AccessTokensTest {
  private static final String WALL_TOKEN = "7f3a9c0e5b2d4f6a8c1e3b5d7f9a0c2e";
  private static final String OPS_TOKEN = "d41c8e2f6a0b4c9e8f7a6b5c4d3e2f1a";

  @TempDir
  Path dir;

  @Test
  @DisplayName("name:role:secret entries, comma-separated, are the accepted tokens with their names and roles")
  void inlineEntries() {
    AccessTokens tokens = inline("wall:viewer:" + WALL_TOKEN + ", ops:operator:" + OPS_TOKEN);

    assertEquals(List.of("wall", "ops"), tokens.names());
    assertEquals(Optional.of(new AccessTokens.Token("wall", Role.VIEWER, AccessTokens.sha256(WALL_TOKEN))),
        tokens.find(WALL_TOKEN));
    assertEquals(Role.OPERATOR, tokens.find(OPS_TOKEN).orElseThrow().role());
    assertEquals(Optional.empty(), tokens.find("not-a-configured-token"));
    assertFalse(tokens.isEmpty());
  }

  @Test
  @DisplayName("a sha256: entry accepts the token whose digest it holds, in either case of hex")
  void digestEntries() {
    String digest = HexFormat.of().withUpperCase().formatHex(AccessTokens.sha256(WALL_TOKEN));

    AccessTokens tokens = inline("wall:viewer:sha256:" + digest);

    assertEquals("wall", tokens.find(WALL_TOKEN).orElseThrow().name());
    assertEquals(Optional.empty(), tokens.find("sha256:" + digest), "the digest itself is not the token");
  }

  @Test
  @DisplayName("the file holds one entry a line, with # comments and blank lines, and adds to AUTH_TOKENS")
  void fileEntries() throws IOException {
    Path file = write("# wall displays\n\nwall:viewer:" + WALL_TOKEN + "\n  # the night shift\n  ops:operator:"
        + OPS_TOKEN + "  \n");

    AccessTokens tokens = AccessTokens.parse(Optional.of("ci:reporter:ci-token-0123456789abcdef"), Optional.of(file));

    assertEquals(List.of("ci", "wall", "ops"), tokens.names());
    assertEquals("ops", tokens.find(OPS_TOKEN).orElseThrow().name());
  }

  @Test
  @DisplayName("neither setting is open mode")
  void openMode() {
    AccessTokens tokens = AccessTokens.parse(Optional.empty(), Optional.empty());

    assertTrue(tokens.isEmpty());
    assertEquals(AccessTokens.NONE, tokens);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "only a secret                  | s3cr3t-value-1234567890abcdef                   | AUTH_TOKENS entry 2 is not name:role:secret",
      "no secret                      | ops:operator                                    | AUTH_TOKENS entry 2 is not name:role:secret",
      "empty entry                    | ''                                              | AUTH_TOKENS entry 2 is not name:role:secret",
      "unknown role                   | ops:boss:s3cr3t-value-1234567890abcdef          | AUTH_TOKENS entry 2 has an unknown role; roles are viewer, reporter, operator, admin",
      "role and secret swapped        | ops:s3cr3t-value-1234567890abcdef:operator      | AUTH_TOKENS entry 2 has an unknown role; roles are viewer, reporter, operator, admin",
      "name with a space              | night ops:operator:s3cr3t-value-1234567890abcdef | AUTH_TOKENS entry 2 has an invalid name: 1-64 characters of A-Z, a-z, 0-9, '.', '_' or '-', starting with a letter or digit, and not \"anonymous\"",
      "the reserved name              | anonymous:viewer:s3cr3t-value-1234567890abcdef  | AUTH_TOKENS entry 2 has an invalid name: 1-64 characters of A-Z, a-z, 0-9, '.', '_' or '-', starting with a letter or digit, and not \"anonymous\"",
      "a short digest                 | ops:operator:sha256:5e884898da28047151d0e56f8dc | AUTH_TOKENS entry 2 has an invalid digest: sha256: must be followed by 64 hexadecimal characters",
      "a token a header cannot carry  | ops:operator:s3cr3t value with spaces           | AUTH_TOKENS entry 2 has an invalid token: use A-Z, a-z, 0-9 and - . _ ~ + / (for example the output of openssl rand -hex 32), or sha256:<hex digest of the token>",
  })
  @DisplayName("a malformed entry stops start-up with its position and without any part of the entry")
  void malformedEntry(String what, String entry, String message) {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> inline("wall:viewer:" + WALL_TOKEN + "," + entry));

    assertEquals(message, error.getMessage());
    assertFalse(error.getMessage().contains("s3cr3t"), "the message shows the secret: " + error.getMessage());
  }

  @Test
  @DisplayName("a malformed line of the file is named by its line number, comments counted")
  void malformedFileLine() throws IOException {
    Path file = write("# tokens\nwall:viewer:" + WALL_TOKEN + "\n\nops:operator:s3cr3t:too:many:colons\n");

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> AccessTokens.parse(Optional.empty(), Optional.of(file)));

    assertEquals("AUTH_TOKENS_FILE line 4 has an invalid token: use A-Z, a-z, 0-9 and - . _ ~ + / (for example the "
        + "output of openssl rand -hex 32), or sha256:<hex digest of the token>", error.getMessage());
  }

  @Test
  @DisplayName("a name used twice stops start-up, across the variable and the file")
  void duplicateName() throws IOException {
    Path file = write("wall:viewer:" + OPS_TOKEN + "\n");

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> AccessTokens.parse(Optional.of("wall:viewer:" + WALL_TOKEN), Optional.of(file)));

    assertEquals("AUTH_TOKENS_FILE line 1 has the same name as AUTH_TOKENS entry 1", error.getMessage());
  }

  @Test
  @DisplayName("a token used twice stops start-up, even when one entry gives it as its digest")
  void duplicateToken() {
    String digest = HexFormat.of().formatHex(AccessTokens.sha256(WALL_TOKEN));

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> inline("wall:viewer:" + WALL_TOKEN + ",lobby:viewer:sha256:" + digest));

    assertEquals("AUTH_TOKENS entry 2 has the same token as AUTH_TOKENS entry 1", error.getMessage());
  }

  @Test
  @DisplayName("a file without any entry stops start-up rather than leaving the hub open")
  void emptyFile() throws IOException {
    Path file = write("# nobody yet\n\n");

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> AccessTokens.parse(Optional.empty(), Optional.of(file)));

    assertEquals("AUTH_TOKENS_FILE " + file + " holds no token entry; write one name:role:secret entry a line, or "
        + "unset AUTH_TOKENS_FILE for open mode", error.getMessage());
  }

  @Test
  @DisplayName("a file that cannot be read stops start-up with its path")
  void missingFile() {
    Path file = dir.resolve("absent.txt");

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> AccessTokens.parse(Optional.empty(), Optional.of(file)));

    assertEquals("AUTH_TOKENS_FILE " + file + " cannot be read (NoSuchFileException)", error.getMessage());
  }

  @Test
  @DisplayName("the description shows the names only")
  void describedByNames() {
    assertEquals("2 tokens [wall, ops]", inline("wall:viewer:" + WALL_TOKEN + ",ops:operator:" + OPS_TOKEN).toString());
  }

  private static AccessTokens inline(String entries) {
    return AccessTokens.parse(Optional.of(entries), Optional.empty());
  }

  private Path write(String content) throws IOException {
    return Files.writeString(dir.resolve("tokens.txt"), content);
  }
}
