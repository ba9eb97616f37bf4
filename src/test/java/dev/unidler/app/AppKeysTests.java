package dev.unidler.app;

import java.util.Map;

import dev.unidler.TestProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AppKeysTests {

	@Test
	void theHostLabelMatchesTheWholeHost() {
		AppKey key = new AppKeys(TestProperties.defaults()).forHost("app1.example.test");
		assertThat(key.selector()).isEqualTo("host=app1.example.test");
	}

	@Test
	void aLongHostIsCutToALabelValueThatEndsAlphanumeric() {
		String host = "a".repeat(61) + ".-b.example.test";
		AppKey key = new AppKeys(TestProperties.defaults()).forHost(host);
		assertThat(key.value()).isEqualTo("a".repeat(61));
		assertThat(key.host()).isEqualTo(host);
	}

	@Test
	void theUnidleKeyLabelMatchesTheFirstDnsLabel() {
		AppKey key = new AppKeys(TestProperties.with(Map.of("unidler.labels.lookup", "unidle-key")))
			.forHost("foo.example.com");
		assertThat(key.selector()).isEqualTo("unidle-key=foo");
	}

	@Test
	void anyOtherLabelMatchesTheHost() {
		AppKey key = new AppKeys(TestProperties.with(Map.of("unidler.labels.lookup", "example.com/app-host")))
			.forHost("foo.example.com");
		assertThat(key.selector()).isEqualTo("example.com/app-host=foo.example.com");
	}

}
