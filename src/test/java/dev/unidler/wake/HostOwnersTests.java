package dev.unidler.wake;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.unidler.TestProperties;
import dev.unidler.UnidlerProperties;
import dev.unidler.app.AppKey;
import dev.unidler.app.IngressState;
import dev.unidler.operation.FailureReason;
import dev.unidler.operation.OperationEvent.Kind;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Which namespace owns a host that apps in several namespaces carry: labels are anyone's
 * to write, so a tenant must not be able to block or take over another's app with them.
 */
class HostOwnersTests {

	private static final String HOST = "app1.example.test";

	private static final AppKey KEY = new AppKey(HOST, "host", HOST);

	private static final Instant EARLY = Instant.parse("2024-01-01T00:00:00Z");

	private static final Instant LATE = Instant.parse("2025-01-01T00:00:00Z");

	private final UnidlerProperties properties = TestProperties.defaults();

	@Test
	void theNamespaceWhoseIngressClaimsTheHostOwnsItAndADecoyElsewhereIsIgnored() {
		FakeCluster cluster = new FakeCluster().idledApp("victim", "app1", HOST, Map.of())
			.idledApp("decoy", "bait", HOST, Map.of())
			.ingress("victim", "app1", EARLY, HOST);
		StepVerifier.create(Wiring.pipeline(cluster, this.properties).run(KEY).last())
			.assertNext((ready) -> assertThat(ready.kind()).isEqualTo(Kind.READY))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(cluster.writes()).isNotEmpty().allMatch((write) -> write.contains("victim/app1"));
	}

	@Test
	void aLaterIngressForTheSameHostDoesNotTakeItOver() {
		FakeCluster cluster = new FakeCluster().idledApp("victim", "app1", HOST, Map.of())
			.idledApp("decoy", "bait", HOST, Map.of())
			.ingress("decoy", "grab", LATE, HOST)
			.ingress("victim", "app1", EARLY, HOST);
		StepVerifier.create(Wiring.pipeline(cluster, this.properties).run(KEY).last())
			.assertNext((ready) -> assertThat(ready.kind()).isEqualTo(Kind.READY))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(cluster.writes()).allMatch((write) -> write.contains("victim/app1"));
	}

	@Test
	void withoutAnIngressToTellThemApartSeveralNamespacesAreAmbiguous() {
		FakeCluster cluster = new FakeCluster().idledApp("a", "app1", HOST, Map.of())
			.idledApp("b", "app1", HOST, Map.of())
			.ingress("c", "other", EARLY, "other.example.test");
		StepVerifier.create(Wiring.pipeline(cluster, this.properties).run(KEY).last())
			.assertNext((failure) -> assertThat(failure.failure()).isEqualTo(FailureReason.AMBIGUOUS_APP))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(cluster.writes()).isEmpty();
	}

	@Test
	void theOperatorsHostSuffixesWinOverIngresses() {
		UnidlerProperties mapped = TestProperties.with(Map.of("unidler.tenancy.host-namespaces[0]",
				"example.test=team-b", "unidler.tenancy.host-namespaces[1]", "app1.example.test=team-a"));
		FakeCluster cluster = new FakeCluster().idledApp("team-a", "app1", HOST, Map.of())
			.idledApp("team-b", "app1", HOST, Map.of())
			.ingress("team-b", "app1", EARLY, HOST);
		StepVerifier.create(Wiring.pipeline(cluster, mapped).run(KEY).last())
			.assertNext((ready) -> assertThat(ready.kind()).isEqualTo(Kind.READY))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		// The longest suffix, the host itself, gives it to team-a.
		assertThat(cluster.writes()).isNotEmpty().allMatch((write) -> write.contains("team-a/app1"));
	}

	@Test
	void aHostUnderAConfiguredSuffixHasNoAppOutsideItsNamespace() {
		UnidlerProperties mapped = TestProperties
			.with(Map.of("unidler.tenancy.host-namespaces", "example.test=team-a"));
		FakeCluster cluster = new FakeCluster().idledApp("team-b", "app1", HOST, Map.of());
		StepVerifier.create(Wiring.pipeline(cluster, mapped).run(KEY).last())
			.assertNext((failure) -> assertThat(failure.failure()).isEqualTo(FailureReason.UNKNOWN_APP))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
		assertThat(cluster.writes()).isEmpty();
	}

	@Test
	void oldestClaimWinsAnExactHostBeatsAWildcardAndATieAcrossNamespacesIsNoOwner() {
		IngressState wildcard = new IngressState("w", "star", Instant.EPOCH, List.of("*.example.test"));
		IngressState exactLate = new IngressState("b", "late", LATE, List.of("x.example.test", HOST));
		IngressState exactEarly = new IngressState("a", "early", EARLY, List.of(HOST));
		assertThat(HostOwners.ingressOwner(HOST, List.of(wildcard, exactLate, exactEarly))).contains(exactEarly);
		assertThat(HostOwners.ingressOwner("other.example.test", List.of(wildcard, exactEarly))).contains(wildcard);
		assertThat(HostOwners.ingressOwner("a.b.example.test", List.of(wildcard))).isEmpty();

		IngressState tieElsewhere = new IngressState("c", "tie", EARLY, List.of(HOST));
		assertThat(HostOwners.ingressOwner(HOST, List.of(exactEarly, tieElsewhere))).isEqualTo(Optional.empty());
		IngressState tieSameNamespace = new IngressState("a", "second", EARLY, List.of(HOST));
		assertThat(HostOwners.ingressOwner(HOST, List.of(tieSameNamespace, exactEarly))).contains(exactEarly);
	}

	@Test
	void aMalformedOrContradictoryMappingStopsTheStart() {
		FakeCluster cluster = new FakeCluster();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new HostOwners(cluster,
					TestProperties.with(Map.of("unidler.tenancy.host-namespaces", "example.test"))))
			.withMessageContaining("<host suffix>=<namespace>");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new HostOwners(cluster,
					TestProperties.with(Map.of("unidler.tenancy.host-namespaces", "example.test=a,.example.test=b"))))
			.withMessageContaining("two namespaces");
	}

}
