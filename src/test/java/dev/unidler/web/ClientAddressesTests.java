package dev.unidler.web;

import java.net.InetSocketAddress;
import java.util.Map;

import dev.unidler.TestProperties;
import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.ServerRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ClientAddressesTests {

	private final ClientAddresses untrusting = new ClientAddresses(TestProperties.defaults());

	private final ClientAddresses behindIngress = new ClientAddresses(
			TestProperties.with(Map.of("unidler.wake-policy.trusted-proxies", "10.0.0.0/8, 192.168.1.7")));

	@Test
	void withoutTrustedProxiesThePeerIsTheClientWhateverItClaims() {
		assertThat(this.untrusting.of(request("203.0.113.9", "198.51.100.1"))).isEqualTo("203.0.113.9");
		assertThat(this.untrusting.of(request("203.0.113.9", null))).isEqualTo("203.0.113.9");
	}

	@Test
	void aTrustedProxyNamesTheClient() {
		assertThat(this.behindIngress.of(request("10.1.2.3", "198.51.100.1"))).isEqualTo("198.51.100.1");
		// Through two trusted proxies; what the client wrote itself on the left is not
		// believed.
		assertThat(this.behindIngress.of(request("10.1.2.3", "6.6.6.6, 198.51.100.1, 192.168.1.7")))
			.isEqualTo("198.51.100.1");
		// Several headers count as one list.
		assertThat(this.behindIngress.of(request("10.1.2.3", "6.6.6.6, 198.51.100.1", "10.9.9.9")))
			.isEqualTo("198.51.100.1");
	}

	@Test
	void anUntrustedPeerCannotPretend() {
		assertThat(this.behindIngress.of(request("203.0.113.9", "10.0.0.1"))).isEqualTo("203.0.113.9");
		assertThat(this.behindIngress.of(request("192.168.1.8", "198.51.100.1"))).isEqualTo("192.168.1.8");
	}

	@Test
	void garbageOrNamesInTheHeaderStopTheWalk() {
		assertThat(this.behindIngress.of(request("10.1.2.3", "198.51.100.1, evil.example.test"))).isEqualTo("10.1.2.3");
		assertThat(this.behindIngress.of(request("10.1.2.3", "198.51.100.1, ;;;"))).isEqualTo("10.1.2.3");
		assertThat(this.behindIngress.of(request("10.1.2.3", ""))).isEqualTo("10.1.2.3");
	}

	@Test
	void ipv6ClientsAreKeyedByTheirSlash64() {
		assertThat(this.untrusting.of(request("2001:db8:1:2:aaaa::1", null))).isEqualTo("2001:db8:1:2::/64");
		assertThat(this.untrusting.of(request("2001:db8:1:2:bbbb::7", null))).isEqualTo("2001:db8:1:2::/64");
		assertThat(this.behindIngress.of(request("10.1.2.3", "[2001:db8:1:3::1]"))).isEqualTo("2001:db8:1:3::/64");
		assertThat(this.behindIngress.of(request("10.1.2.3", "::ffff:198.51.100.1"))).isEqualTo("198.51.100.1");
	}

	@Test
	void noPeerAddressIsOneUnknownClient() {
		ServerRequest request = ServerRequest.create(MockServerWebExchange.from(MockServerHttpRequest.get("/")),
				HandlerStrategies.withDefaults().messageReaders());
		assertThat(this.untrusting.of(request)).isEqualTo("unknown");
	}

	@Test
	void rangesAreCheckedAtStartUp() {
		for (String bad : new String[] { "ingress.example.test", "10.0.0.0/33", "10.0.0.0/x", "::/129" }) {
			assertThatIllegalArgumentException().isThrownBy(() -> ClientAddresses.AddressRange.parse(bad));
		}
		ClientAddresses.AddressRange range = ClientAddresses.AddressRange.parse("10.96.0.0/12");
		assertThat(range.contains(ClientAddresses.parse("10.111.255.255"))).isTrue();
		assertThat(range.contains(ClientAddresses.parse("10.112.0.0"))).isFalse();
		assertThat(range.contains(ClientAddresses.parse("::1"))).isFalse();
	}

	private static ServerRequest request(String peer, String... forwardedFor) {
		MockServerHttpRequest.BaseBuilder<?> builder = MockServerHttpRequest.get("/")
			.remoteAddress(new InetSocketAddress(peer, 40000));
		if (forwardedFor != null && !(forwardedFor.length == 1 && forwardedFor[0] == null)) {
			builder.header(ClientAddresses.FORWARDED_FOR, forwardedFor);
		}
		return ServerRequest.create(MockServerWebExchange.from(builder),
				HandlerStrategies.withDefaults().messageReaders());
	}

}
