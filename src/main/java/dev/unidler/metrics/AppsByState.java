package dev.unidler.metrics;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The gauge {@code unidler_apps{state}}: how many apps the unidler manages are in each
 * state. The states and their counts come from whatever knows them (the app-state model
 * behind the console); this class only exposes them. Declare it as a bean and Spring Boot
 * binds it:
 *
 * <pre class="code">
 * &#64;Bean
 * AppsByState appsByState(AppStates states) {
 *     return new AppsByState(AppState.names(), states::countsByState);
 * }
 * </pre>
 *
 * The states are fixed up front, so the series stay the same few and a state with no app
 * reads 0 rather than vanishing. A state the counts name but the list does not is not
 * shown. Read at each scrape, on the thread that serves it: the counts must come from
 * memory, not from the cluster.
 */
public final class AppsByState implements MeterBinder {

	static final String APPS = "unidler.apps";

	private final List<String> states;

	private final Supplier<Map<String, Long>> counts;

	/**
	 * @param states every state an app may be in, as the {@code state} label shows it
	 * ({@code awake}, {@code idled}, {@code waking}, …)
	 * @param counts how many apps are in each state now; a state it leaves out has none
	 */
	public AppsByState(List<String> states, Supplier<Map<String, Long>> counts) {
		this.states = List.copyOf(states);
		this.counts = counts;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (String state : this.states) {
			Gauge.builder(APPS, this.counts, (counts) -> counts.get().getOrDefault(state, 0L))
				.description("Apps the unidler manages, by state")
				.tag("state", state)
				.register(registry);
		}
	}

}
