package dev.unidler.kubernetes;

import java.util.List;

import io.kubernetes.client.openapi.ApiClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Gives every {@link ApiClient} bean, the one {@link ApiClients} builds or one an
 * operator's configuration provides, an interceptor that tells the
 * {@link ApiRequestObserver}s of its requests. The watching copy the informers use is
 * made from it afterwards and keeps the interceptor.
 */
final class ObservedApiClients implements BeanPostProcessor {

	private final ObjectProvider<ApiRequestObserver> observers;

	ObservedApiClients(ObjectProvider<ApiRequestObserver> observers) {
		this.observers = observers;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof ApiClient client) {
			List<ApiRequestObserver> known = this.observers.orderedStream().toList();
			if (!known.isEmpty()) {
				client.setHttpClient(
						client.getHttpClient().newBuilder().addInterceptor(new ObservedRequests(known)).build());
			}
		}
		return bean;
	}

}
