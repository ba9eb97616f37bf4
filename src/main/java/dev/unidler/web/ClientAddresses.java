package dev.unidler.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.unidler.UnidlerProperties;
import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Finds the address of the client behind a request, for the lookup budget.
 *
 * <p>
 * Behind an ingress every request comes from the ingress controller, so its peer address
 * says nothing about the client. {@code X-Forwarded-For} does, but anyone can send one:
 * it is read only when the peer is a configured trusted proxy, and then from the right,
 * skipping trusted proxies, to the first address a trusted proxy saw (the way nginx's
 * {@code real_ip_recursive} does). With no trusted proxies configured the header is
 * ignored. IPv6 clients are keyed by their {@code /64}, which one subscriber usually
 * holds whole.
 */
@Component
final class ClientAddresses {

	static final String FORWARDED_FOR = "X-Forwarded-For";

	private static final String UNKNOWN = "unknown";

	private final List<AddressRange> trusted;

	ClientAddresses(UnidlerProperties properties) {
		this.trusted = properties.wakePolicy().trustedProxies().stream().map(AddressRange::parse).toList();
	}

	/** The client's key: an IPv4 address, an IPv6 {@code /64}, or {@code unknown}. */
	String of(ServerRequest request) {
		byte[] client = request.remoteAddress()
			.map(InetSocketAddress::getAddress)
			.map(InetAddress::getAddress)
			.map(ClientAddresses::unmapped)
			.orElse(null);
		if (client == null) {
			return UNKNOWN;
		}
		List<String> hops = hops(request.headers().header(FORWARDED_FOR));
		for (int i = hops.size() - 1; i >= 0 && isTrusted(client); i--) {
			byte[] hop = parse(hops.get(i));
			if (hop == null) {
				break;
			}
			client = hop;
		}
		return key(client);
	}

	private boolean isTrusted(byte[] address) {
		return this.trusted.stream().anyMatch((range) -> range.contains(address));
	}

	private static List<String> hops(List<String> headers) {
		List<String> hops = new ArrayList<>();
		for (String header : headers) {
			for (String hop : header.split(",", -1)) {
				hops.add(hop.strip());
			}
		}
		return hops;
	}

	/**
	 * An IP literal, never a name: resolving one would block and ask DNS for a stranger.
	 */
	static byte @Nullable [] parse(String address) {
		String literal = (address.startsWith("[") && address.endsWith("]")) ? address.substring(1, address.length() - 1)
				: address;
		byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
		return (bytes != null) ? unmapped(bytes) : null;
	}

	/** {@code ::ffff:10.0.0.1} is the IPv4 address {@code 10.0.0.1}. */
	private static byte[] unmapped(byte[] address) {
		if (address.length == 16) {
			for (int i = 0; i < 10; i++) {
				if (address[i] != 0) {
					return address;
				}
			}
			if (address[10] == (byte) 0xff && address[11] == (byte) 0xff) {
				return Arrays.copyOfRange(address, 12, 16);
			}
		}
		return address;
	}

	private static String key(byte[] address) {
		if (address.length == 16) {
			return NetUtil.bytesToIpAddress(Arrays.copyOf(Arrays.copyOf(address, 8), 16)) + "/64";
		}
		return NetUtil.bytesToIpAddress(address);
	}

	/**
	 * An address or a CIDR range.
	 *
	 * @param network the network's address
	 * @param prefix how many leading bits must match
	 */
	record AddressRange(byte[] network, int prefix) {

		static AddressRange parse(String range) {
			String[] parts = range.strip().split("/", 2);
			byte[] network = ClientAddresses.parse(parts[0]);
			if (network == null) {
				throw new IllegalArgumentException("Not an IP address or CIDR range: " + range);
			}
			int prefix = network.length * 8;
			if (parts.length == 2) {
				prefix = parts[1].matches("[0-9]{1,3}") ? Integer.parseInt(parts[1]) : -1;
			}
			if (prefix < 0 || prefix > network.length * 8) {
				throw new IllegalArgumentException("Not a prefix length for " + parts[0] + ": " + range);
			}
			return new AddressRange(network, prefix);
		}

		boolean contains(byte[] address) {
			if (address.length != this.network.length) {
				return false;
			}
			int full = this.prefix / 8;
			for (int i = 0; i < full; i++) {
				if (address[i] != this.network[i]) {
					return false;
				}
			}
			int rest = this.prefix % 8;
			if (rest == 0) {
				return true;
			}
			int mask = (0xff << (8 - rest)) & 0xff;
			return (address[full] & mask) == (this.network[full] & mask);
		}

	}

}
