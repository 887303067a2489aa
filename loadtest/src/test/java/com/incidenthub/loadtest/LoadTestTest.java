package com.incidenthub.loadtest;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line: usage generated from the options, and exit code 2 for anything the harness cannot run. */
class LoadTestTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = LoadTest.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  @DisplayName("each scenario's --help lists its own options and the common ones, and exits 0")
  void usage() {
    assertEquals(0, run("fanout", "--help"));
    String fanout = out.toString();
    for (String option : new String[] {"--sockets=N", "--channels=C", "--rate=R", "--duration=D", "--warmup=W",
        "--drain=S", "--post-connections=P", "--connect-batch=B", "--ws-compression", "--url=URL", "--ws-url=URL",
        "--server-pid=PID", "--event-loops=N", "--allow-remote", "--profile=FILE", "--token=TOKEN",
        "--reconnect-every=S"}) {
      assertTrue(fanout.contains(option), option + " missing from\n" + fanout);
    }
    assertTrue(fanout.contains("(default: 1000)"), fanout);

    out.getBuffer().setLength(0);
    assertEquals(0, run("rest", "--help"));
    assertTrue(out.toString().contains("--warmup=W"), out.toString());
    assertTrue(out.toString().contains("--mix=MIX"), out.toString());
    assertFalse(out.toString().contains("--ws-compression"), out.toString());
  }

  @Test
  @DisplayName("several nodes are for fanout only: rest with two --url is a usage error")
  void severalUrlsOnlyForFanout() {
    assertEquals(2, run("rest", "--url", "http://127.0.0.1:1,http://127.0.0.1:2", "--duration", "1"));
    assertTrue(err.toString().contains("only fanout spreads over several nodes"), err.toString());
  }

  @Test
  @DisplayName("a cursor is read from the end of a frame, where the hub puts it")
  void cursorOfFrame() {
    assertEquals("3de39cef2c1e4727.42", SocketFleet.cursorOf("{\"type\":\"incident.created\",\"incident\":{\"id\":"
        + "\"x\"},\"cursor\":\"3de39cef2c1e4727.42\",\"replayed\":true}"));
    assertEquals(null, SocketFleet.cursorOf("{\"type\":\"pong\"}"));
  }

  @Test
  @DisplayName("no scenario: the list of scenarios and exit code 2")
  void noScenario() {
    assertEquals(2, run());
    assertTrue(err.toString().contains("fanout") && err.toString().contains("idle"), err.toString());
  }

  @Test
  @DisplayName("a value out of its bounds stops with a message and exit code 2 before anything connects")
  void outOfBounds() {
    assertEquals(2, run("fanout", "--duration", "3000"));
    assertTrue(err.toString().contains("--duration must be between 1 and 600, got 3000"), err.toString());
  }

  @Test
  @DisplayName("more channels than sockets is refused")
  void channelsAboveSockets() {
    assertEquals(2, run("fanout", "--sockets", "5", "--channels", "6"));
    assertTrue(err.toString().contains("--channels (6) must not exceed --sockets (5)"), err.toString());
  }

  @Test
  @DisplayName("a cut or a kill needs several nodes, its pair of options, and sockets that stay on their node")
  void faultOptions() {
    String two = "http://127.0.0.1:1,http://127.0.0.1:2";
    assertEquals(2, run("fanout", "--cut-command", "true", "--heal-command", "true"));
    assertTrue(err.toString().contains("need several nodes"), err.toString());
    assertEquals(2, run("fanout", "--url", two, "--cut-command", "true"));
    assertTrue(err.toString().contains("--cut-command and --heal-command go together"), err.toString());
    assertEquals(2, run("fanout", "--url", two, "--duration", "10", "--cut-at", "5", "--cut-for", "6",
        "--cut-command", "true", "--heal-command", "true"));
    assertTrue(err.toString().contains("end within --duration 10"), err.toString());
    assertEquals(2, run("fanout", "--url", two, "--kill-command", "true", "--kill-node", "3"));
    assertTrue(err.toString().contains("--kill-node must be between 1 and 2, got 3"), err.toString());
    assertEquals(2, run("fanout", "--url", two, "--kill-command", "true", "--kill-node", "2",
        "--reconnect-every", "5"));
    assertTrue(err.toString().contains("no --reconnect-every"), err.toString());
  }

  @Test
  @DisplayName("an unknown option, or one of another scenario, is refused with exit code 2")
  void unknownOption() {
    assertEquals(2, run("rest", "--ws-compression"));
    assertTrue(err.toString().contains("Unknown option: '--ws-compression'"), err.toString());
  }

  @Test
  @DisplayName("a non-loopback host needs --allow-remote")
  void loopbackOnly() {
    assertEquals(2, run("rest", "--url", "http://192.0.2.1:8081"));
    assertTrue(err.toString().contains("is not a loopback address"), err.toString());
  }

  @Test
  @DisplayName("--profile without --server-pid is refused: the profiler attaches to the hub's process")
  void profileNeedsPid() {
    assertEquals(2, run("idle", "--profile", "hub.html"));
    assertTrue(err.toString().contains("--profile needs --server-pid"), err.toString());
  }

  @Test
  @DisplayName("a malformed --mix is refused")
  void badMix() {
    assertEquals(2, run("rest", "--mix", "create=1,delete=2"));
    assertTrue(err.toString().contains("unknown request type 'delete'"), err.toString());
  }
}
