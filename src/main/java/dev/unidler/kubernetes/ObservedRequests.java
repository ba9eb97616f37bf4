package dev.unidler.kubernetes;

import java.io.IOException;
import java.util.List;

import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the {@link ApiRequestObserver}s of each request at the client's HTTP layer, so
 * every call counts, whichever code sent it: typed APIs, patches, informers' lists and
 * watches. An application interceptor: a request OkHttp retries or follows counts once,
 * with its last answer.
 */
final class ObservedRequests implements Interceptor {

	private static final Logger logger = LoggerFactory.getLogger(ObservedRequests.class);

	private final List<ApiRequestObserver> observers;

	ObservedRequests(List<ApiRequestObserver> observers) {
		this.observers = List.copyOf(observers);
	}

	@Override
	public Response intercept(Chain chain) throws IOException {
		Request request = chain.request();
		Response response;
		try {
			response = chain.proceed(request);
		}
		catch (IOException | RuntimeException ex) {
			tell(request, ApiRequest.NO_RESPONSE);
			throw ex;
		}
		tell(request, Integer.toString(response.code()));
		return response;
	}

	private void tell(Request request, String code) {
		ApiRequest described = ApiRequest.of(request.method(), request.url(), code);
		for (ApiRequestObserver observer : this.observers) {
			try {
				observer.requested(described);
			}
			catch (RuntimeException ex) {
				logger.warn("{} failed; the request goes on", observer.getClass().getSimpleName(), ex);
			}
		}
	}

}
