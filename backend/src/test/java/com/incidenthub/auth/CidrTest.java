package com.incidenthub.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.incidenthub.auth.TrustedProxies.Cidr;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("TRUSTED_PROXIES ranges")
class CidrTest {

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
      "172.30.57.0/24,   172.30.57.10,     true",
      "172.30.57.0/24,   172.30.58.10,     false",
      "10.0.0.0/8,       10.255.1.2,       true",
      "10.0.0.0/8,       11.0.0.1,         false",
      "192.168.1.128/25, 192.168.1.200,    true",
      "192.168.1.128/25, 192.168.1.100,    false",
      "127.0.0.1,        127.0.0.1,        true",
      "127.0.0.1,        127.0.0.2,        false",
      "0.0.0.0/0,        8.8.8.8,          true",
      "127.0.0.1/32,     ::ffff:127.0.0.1, true",
      "fd00::/8,         fd12:3456::1,     true",
      "fd00::/8,         fe80::1,          false",
      "::1,              [::1],            true",
      "::1,              127.0.0.1,        false",
      "10.0.0.0/8,       not-an-address,   false",
  })
  @DisplayName("a range holds the addresses under its prefix, IPv4 addresses mapped into IPv6 included")
  void contains(String range, String address, boolean expected) {
    byte[] bytes = Cidr.bytes(address);
    assertEquals(expected, bytes != null && Cidr.parse(range).orElseThrow().contains(bytes));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/8/8", "10.0.0/8", "proxy.local", "::1/129"})
  @DisplayName("what is not an address or CIDR is no range, and no name is ever looked up")
  void invalid(String range) {
    assertEquals(Optional.empty(), Cidr.parse(range));
  }

  @Test
  @DisplayName("TRUSTED_PROXIES with an invalid entry stops start-up, naming it")
  void invalidSetting() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> TrustedProxies.parse(Optional.of("172.30.57.10/32, nginx")));

    assertEquals("TRUSTED_PROXIES must be a comma-separated list of addresses or CIDRs such as 10.0.0.0/8, got 'nginx'",
        error.getMessage());
  }
}
