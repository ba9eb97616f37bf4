package dev.unidler.slack;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * Verifies that a request comes from Slack, as Slack documents it: the signature is
 * {@code v0=} and the hex HMAC-SHA256, keyed with the app's signing secret, of
 * {@code v0:<timestamp>:<raw body>}. The comparison takes the same time wherever the
 * signatures differ. A timestamp more than five minutes from now, either way, is refused,
 * and so is a signature already accepted within those five minutes: a request captured on
 * the way is good for nothing.
 *
 * <p>
 * The signatures remembered are bounded: when the memory is full of unexpired ones, new
 * requests are refused until the oldest expire rather than forgetting any. Only valid
 * signatures are remembered, so only Slack can fill it.
 */
final class SlackSignatures {

	static final String TIMESTAMP = "X-Slack-Request-Timestamp";

	static final String SIGNATURE = "X-Slack-Signature";

	static final Duration WINDOW = Duration.ofMinutes(5);

	private static final String ALGORITHM = "HmacSHA256";

	private final SecretKeySpec key;

	private final InstantSource clock;

	private final int memory;

	/** Signature → epoch second after which it can no longer be replayed. */
	private final Map<String, Long> seen = new LinkedHashMap<>();

	SlackSignatures(byte[] secret, InstantSource clock, int memory) {
		this.key = new SecretKeySpec(secret, ALGORITHM);
		this.clock = clock;
		this.memory = memory;
	}

	/**
	 * Whether a request is Slack's, and new.
	 * @param timestamp its {@code X-Slack-Request-Timestamp}
	 * @param signature its {@code X-Slack-Signature}
	 * @param body its body, exactly as received
	 * @return the verdict
	 */
	Verdict verify(@Nullable String timestamp, @Nullable String signature, byte[] body) {
		if (timestamp == null || signature == null || !timestamp.matches("[0-9]{1,12}")) {
			return Verdict.UNSIGNED;
		}
		long at = Long.parseLong(timestamp);
		long now = this.clock.instant().getEpochSecond();
		if (Math.abs(now - at) > WINDOW.toSeconds()) {
			return Verdict.STALE;
		}
		byte[] expected = sign(this.key, timestamp, body).getBytes(StandardCharsets.US_ASCII);
		if (!MessageDigest.isEqual(expected, signature.strip().getBytes(StandardCharsets.US_ASCII))) {
			return Verdict.BAD_SIGNATURE;
		}
		return remember(signature.strip(), at + WINDOW.toSeconds(), now);
	}

	private synchronized Verdict remember(String signature, long expires, long now) {
		if (this.seen.containsKey(signature)) {
			return Verdict.REPLAYED;
		}
		if (this.seen.size() >= this.memory) {
			for (Iterator<Long> it = this.seen.values().iterator(); it.hasNext();) {
				if (it.next() < now) {
					it.remove();
				}
			}
			if (this.seen.size() >= this.memory) {
				return Verdict.TOO_MANY;
			}
		}
		this.seen.put(signature, expires);
		return Verdict.VALID;
	}

	/**
	 * Slack's signature of a request.
	 * @param secret the signing secret
	 * @param timestamp the request's timestamp, as sent
	 * @param body the raw body
	 * @return {@code v0=<hex>}
	 */
	static String sign(byte[] secret, String timestamp, byte[] body) {
		return sign(new SecretKeySpec(secret, ALGORITHM), timestamp, body);
	}

	private static String sign(SecretKeySpec key, String timestamp, byte[] body) {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(key);
			mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.US_ASCII));
			return "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is part of every JDK", ex);
		}
	}

	/** What a request's signature says. */
	enum Verdict {

		/** Slack's, and not seen before. */
		VALID,

		/** No timestamp or signature, or a timestamp that is not a number. */
		UNSIGNED,

		/** Not signed with the signing secret. */
		BAD_SIGNATURE,

		/** Signed more than five minutes from now. */
		STALE,

		/** Accepted once already. */
		REPLAYED,

		/** The memory of recent signatures is full. */
		TOO_MANY

	}

}
