package dev.unidler.slack;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.web.UnidlerServer;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;

/**
 * Without a signing secret there are no Slack commands: even a request signed as Slack
 * would sign it finds no endpoint.
 */
@RealCluster
class SlackCommandsOffTests {

	@Test
	void withoutASigningSecretTheEndpointIsNotThere(TestCluster cluster) {
		try (UnidlerServer plain = UnidlerServer.start(cluster, Map.of())) {
			String body = "team_id=T0TEST&user_id=U0ALICE&command=%2Funidler&text=status"
					+ "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT0TEST%2F1%2Fabc";
			String timestamp = Long.toString(Instant.now().getEpochSecond());
			plain.admin()
				.post()
				.uri("/slack/commands")
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.header(SlackSignatures.TIMESTAMP, timestamp)
				.header(SlackSignatures.SIGNATURE,
						SlackSignatures.sign("any-secret".getBytes(StandardCharsets.UTF_8), timestamp,
								body.getBytes(StandardCharsets.UTF_8)))
				.bodyValue(body)
				.exchange()
				.expectStatus()
				.isNotFound();
		}
	}

}
