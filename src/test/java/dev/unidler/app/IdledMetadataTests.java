package dev.unidler.app;

import java.util.HashMap;
import java.util.Map;

import dev.unidler.TestProperties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class IdledMetadataTests {

	private final IdledMetadata idled = new IdledMetadata(TestProperties.defaults());

	@ParameterizedTest(name = "replicas={0}, idled-at={1} -> {2}")
	@CsvSource(nullValues = "null",
			value = { "3, 2018-02-07T11:44:20+00:00, 3", "null, '2018-02-07T11:44:20+00:00,2', 2",
					"garbage, '2018-02-07T11:44:20+00:00,4', 4", "0, null, 1", "-2, null, 1", "null, null, 1",
					"lots, 2018-02-07T11:44:20+00:00, 1", "' 5 ', null, 5", "null, '2018-02-07T11:44:20+00:00,x', 1" })
	void replicasToRestore(String replicas, String idledAt, int expected) {
		Map<String, String> annotations = new HashMap<>();
		if (replicas != null) {
			annotations.put("mojanalytics.xyz/replicas-when-unidled", replicas);
		}
		if (idledAt != null) {
			annotations.put("mojanalytics.xyz/idled-at", idledAt);
		}
		assertThat(this.idled.replicasToRestore(annotations)).isEqualTo(expected);
	}

}
