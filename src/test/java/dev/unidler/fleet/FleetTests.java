package dev.unidler.fleet;

import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import dev.unidler.UnidlerApplication;
import dev.unidler.app.AppKeys;
import dev.unidler.cluster.IdledApp;
import dev.unidler.cluster.IdledAppSpec;
import dev.unidler.cluster.RealCluster;
import dev.unidler.cluster.TestCluster;
import dev.unidler.cluster.TestNamespace;
import dev.unidler.operation.OperationEvent;
import dev.unidler.restart.AwakeWorkloads;
import dev.unidler.wake.Wakes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fleet against the real control plane: apps in every state at rest, a half-woken one
 * named for what is wrong with it, and a wake followed as it happens, from the informers
 * and the operation, without polling.
 */
@RealCluster
class FleetTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static ConfigurableApplicationContext context;

	private static Fleet fleet;

	@BeforeAll
	static void start(TestCluster cluster) {
		context = new SpringApplicationBuilder(UnidlerApplication.class).run("--server.port=0",
				"--server.address=127.0.0.1", "--unidler.admin.port=0", "--unidler.kubeconfig=" + cluster.kubeconfig(),
				"--unidler.wake.recheck=1s", "--spring.lifecycle.timeout-per-shutdown-phase=1s");
		fleet = context.getBean(Fleet.class);
	}

	@AfterAll
	static void stop() {
		context.close();
	}

	@Test
	void everyManagedAppHasItsStateAndADriftedOneSaysWhatIsWrong(TestCluster cluster, TestNamespace namespace)
			throws Exception {
		IdledApp idled = namespace.createIdledApp(IdledAppSpec.named("sleepy").host(namespace.host("sleepy")));
		IdledApp halfWoken = namespace.createIdledApp(IdledAppSpec.named("half").host(namespace.host("half")));
		// The old platform's half-woken app: someone stripped the label, nothing scaled
		// up.
		halfWoken.patchDeployment("{\"metadata\":{\"labels\":{\"" + IdledAppSpec.IDLED_LABEL + "\":null}}}");
		AwakeWorkloads.deployment(cluster, namespace, "web", namespace.host("web"), 2, Map.of());
		AwakeWorkloads.statefulSet(cluster, namespace, "db", namespace.host("db"), 1);

		AppStatus sleepy = await(id("Deployment", namespace, "sleepy"), (app) -> true);
		AppStatus half = await(id("Deployment", namespace, "half"), (app) -> app.state() == AppState.DRIFTED);
		AppStatus web = await(id("Deployment", namespace, "web"), (app) -> app.available() == 2);
		AppStatus db = await(id("StatefulSet", namespace, "db"), (app) -> app.available() == 1);

		assertThat(sleepy.state()).isEqualTo(AppState.IDLED);
		assertThat(sleepy.host()).isEqualTo(idled.host());
		assertThat(sleepy.idledSince()).hasToString("2018-02-07T11:44:20Z");
		assertThat(half.drift()).containsExactly("Idled label stripped but 0 replicas: nothing serves it");
		assertThat(web.state()).isEqualTo(AppState.AWAKE);
		assertThat(web.desired()).isEqualTo(2);
		assertThat(db.state()).isEqualTo(AppState.AWAKE);
		assertThat(db.kind()).isEqualTo("StatefulSet");
	}

	@Test
	void aWakeIsFollowedAsItHappensAndRemembered(TestNamespace namespace) {
		// Its pods wait for a node until the test lets them run, so the wake lasts longer
		// than the fleet's 100 ms between looks, however fast the machine.
		IdledApp app = namespace
			.createIdledApp(IdledAppSpec.named("app").host(namespace.host("app")).unschedulable(true));
		String id = id("Deployment", namespace, "app");
		await(id, (status) -> status.state() == AppState.IDLED);
		Mono<AppStatus> waking = awaitLater(id, (status) -> status.state() == AppState.WAKING);
		Mono<AppStatus> awake = awaitLater(id,
				(status) -> status.state() == AppState.AWAKE && status.lastWake() != null);

		Mono<OperationEvent> ended = context.getBean(Wakes.class)
			.wake(context.getBean(AppKeys.class).forHost(app.host()))
			.events()
			.last()
			.cache();
		ended.subscribe();
		assertThat(waking.block(WAIT)).isNotNull();
		app.patchDeployment("{\"spec\":{\"template\":{\"spec\":{\"nodeSelector\":null}}}}");
		OperationEvent end = ended.block(WAIT);

		assertThat(end.kind()).isEqualTo(OperationEvent.Kind.READY);
		AppStatus woken = awake.block(WAIT);
		assertThat(woken.lastWake().elapsedMillis()).isEqualTo(end.elapsedMillis());
		assertThat(woken.idledSince()).isNull();
		assertThat(woken.desired()).isEqualTo(3);
	}

	/**
	 * The app once it satisfies the condition, looking at what the fleet has now first.
	 */
	private static AppStatus await(String id, Predicate<AppStatus> condition) {
		return Flux.merge(changesOf(id), Mono.defer(() -> Mono.justOrEmpty(fleet.app(id))))
			.filter(condition)
			.next()
			.block(WAIT);
	}

	/** A condition reached from now on, subscribed to at once. */
	private static Mono<AppStatus> awaitLater(String id, Predicate<AppStatus> condition) {
		Mono<AppStatus> reached = changesOf(id).filter(condition).next().cache();
		reached.subscribe();
		return reached;
	}

	private static Flux<AppStatus> changesOf(String id) {
		return fleet.changes().filter((change) -> change.id().equals(id)).mapNotNull(FleetChange::status);
	}

	private static String id(String kind, TestNamespace namespace, String name) {
		return kind + "/" + namespace.name() + "/" + name;
	}

}
