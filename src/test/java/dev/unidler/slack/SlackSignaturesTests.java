package dev.unidler.slack;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signature check, with the worked example of Slack's "Verifying requests from
 * Slack": the signature itself, the five-minute window either way, replays, and a memory
 * of signatures that stays bounded.
 */
class SlackSignaturesTests {

	static final byte[] SECRET = "8f742231b10e8888abcd99yyyzzz85a5".getBytes(StandardCharsets.UTF_8);

	static final String TIMESTAMP = "1531420618";

	static final byte[] BODY = ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
			+ "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
			+ "&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands"
			+ "%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
			+ "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")
		.getBytes(StandardCharsets.UTF_8);

	static final String SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

	private final AtomicReference<Instant> now = new AtomicReference<>(Instant.ofEpochSecond(1531420618 + 30));

	private final InstantSource clock = this.now::get;

	@Test
	void slacksOwnExampleIsSignedAndVerifiedAsSlackDocumentsIt() {
		assertThat(SlackSignatures.sign(SECRET, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
		assertThat(new SlackSignatures(SECRET, this.clock, 10).verify(TIMESTAMP, SIGNATURE, BODY))
			.isEqualTo(SlackSignatures.Verdict.VALID);
	}

	@Test
	void anyChangeToTheBodyTheTimestampOrTheSignatureIsRefused() {
		SlackSignatures signatures = new SlackSignatures(SECRET, this.clock, 10);
		byte[] changed = BODY.clone();
		changed[changed.length - 1] = '0';
		assertThat(signatures.verify(TIMESTAMP, SIGNATURE, changed)).isEqualTo(SlackSignatures.Verdict.BAD_SIGNATURE);
		assertThat(signatures.verify("1531420619", SIGNATURE, BODY)).isEqualTo(SlackSignatures.Verdict.BAD_SIGNATURE);
		assertThat(signatures.verify(TIMESTAMP, SIGNATURE.replace("a2114", "a2115"), BODY))
			.isEqualTo(SlackSignatures.Verdict.BAD_SIGNATURE);
		assertThat(signatures.verify(TIMESTAMP, "v0=", BODY)).isEqualTo(SlackSignatures.Verdict.BAD_SIGNATURE);
		assertThat(new SlackSignatures("another-secret".getBytes(StandardCharsets.UTF_8), this.clock, 10)
			.verify(TIMESTAMP, SIGNATURE, BODY)).isEqualTo(SlackSignatures.Verdict.BAD_SIGNATURE);
		assertThat(signatures.verify(null, SIGNATURE, BODY)).isEqualTo(SlackSignatures.Verdict.UNSIGNED);
		assertThat(signatures.verify(TIMESTAMP, null, BODY)).isEqualTo(SlackSignatures.Verdict.UNSIGNED);
		assertThat(signatures.verify("15314206.18", SIGNATURE, BODY)).isEqualTo(SlackSignatures.Verdict.UNSIGNED);
		// None of these was remembered: the real request still goes through.
		assertThat(signatures.verify(TIMESTAMP, SIGNATURE, BODY)).isEqualTo(SlackSignatures.Verdict.VALID);
	}

	@Test
	void aTimestampMoreThanFiveMinutesFromNowEitherWayIsRefused() {
		SlackSignatures signatures = new SlackSignatures(SECRET, this.clock, 10);
		this.now.set(Instant.ofEpochSecond(1531420618 + 301));
		assertThat(signatures.verify(TIMESTAMP, SIGNATURE, BODY)).isEqualTo(SlackSignatures.Verdict.STALE);
		this.now.set(Instant.ofEpochSecond(1531420618 - 301));
		assertThat(signatures.verify(TIMESTAMP, SIGNATURE, BODY)).isEqualTo(SlackSignatures.Verdict.STALE);
		this.now.set(Instant.ofEpochSecond(1531420618 + 300));
		assertThat(signatures.verify(TIMESTAMP, SIGNATURE, BODY)).isEqualTo(SlackSignatures.Verdict.VALID);
	}

	@Test
	void aRequestIsAcceptedOnceAndItsReplayRefusedForAsLongAsItsTimestampIsValid() {
		SlackSignatures signatures = new SlackSignatures(SECRET, this.clock, 10);
		assertThat(signatures.verify(TIMESTAMP, SIGNATURE, BODY)).isEqualTo(SlackSignatures.Verdict.VALID);
		assertThat(signatures.verify(TIMESTAMP, SIGNATURE, BODY)).isEqualTo(SlackSignatures.Verdict.REPLAYED);
		this.now.set(Instant.ofEpochSecond(1531420618 + 299));
		assertThat(signatures.verify(TIMESTAMP, SIGNATURE, BODY)).isEqualTo(SlackSignatures.Verdict.REPLAYED);
		// Past the window the timestamp alone refuses it.
		this.now.set(Instant.ofEpochSecond(1531420618 + 301));
		assertThat(signatures.verify(TIMESTAMP, SIGNATURE, BODY)).isEqualTo(SlackSignatures.Verdict.STALE);
	}

	@Test
	void theMemoryOfSignaturesIsBoundedAndForgetsOnlyWhatHasExpired() {
		SlackSignatures signatures = new SlackSignatures(SECRET, this.clock, 2);
		long start = 1531420618;
		assertThat(signed(signatures, start, "a")).isEqualTo(SlackSignatures.Verdict.VALID);
		assertThat(signed(signatures, start + 10, "b")).isEqualTo(SlackSignatures.Verdict.VALID);
		// Full of signatures that could still be replayed: the next is refused, none
		// forgotten.
		assertThat(signed(signatures, start + 20, "c")).isEqualTo(SlackSignatures.Verdict.TOO_MANY);
		// Once the first has expired, its place is free.
		this.now.set(Instant.ofEpochSecond(start + 305));
		assertThat(signed(signatures, start + 300, "d")).isEqualTo(SlackSignatures.Verdict.VALID);
		assertThat(signed(signatures, start + 10, "b")).isEqualTo(SlackSignatures.Verdict.REPLAYED);
	}

	private static SlackSignatures.Verdict signed(SlackSignatures signatures, long timestamp, String body) {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		String at = Long.toString(timestamp);
		return signatures.verify(at, SlackSignatures.sign(SECRET, at, bytes), bytes);
	}

}
