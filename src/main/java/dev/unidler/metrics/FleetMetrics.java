package dev.unidler.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.unidler.fleet.AppState;
import dev.unidler.fleet.Fleet;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code unidler_apps{state}} from the fleet the console shows, so that the gauge and the
 * console never disagree on what state an app is in.
 */
@Configuration(proxyBeanMethods = false)
class FleetMetrics {

	@Bean
	@ConditionalOnMissingBean
	AppsByState appsByState(Fleet fleet) {
		return new AppsByState(Arrays.stream(AppState.values()).map(AppState::id).toList(), () -> {
			Map<String, Long> counts = new LinkedHashMap<>();
			fleet.countsByState().forEach((state, count) -> counts.put(state.id(), count));
			return counts;
		});
	}

}
