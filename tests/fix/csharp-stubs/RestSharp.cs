// A stand-in for the parts of RestSharp (106.x API) the C# fix fixtures use, so that mcs can
// check the patched files without the NuGet package. Not a working client.
using System.Net;
using System.Threading.Tasks;

namespace RestSharp
{
    public enum Method { GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS }

    public interface IRestResponse
    {
        string Content { get; }
        HttpStatusCode StatusCode { get; }
    }

    public interface IRestResponse<T> : IRestResponse
    {
        T Data { get; }
    }

    public interface IRestRequest
    {
        IRestRequest AddParameter(string name, object value);
        IRestRequest AddQueryParameter(string name, string value);
        IRestRequest AddHeader(string name, string value);
    }

    public class RestRequest : IRestRequest
    {
        public RestRequest(string resource) { }
        public RestRequest(string resource, Method method) { }
        public IRestRequest AddParameter(string name, object value) { return this; }
        public IRestRequest AddQueryParameter(string name, string value) { return this; }
        public IRestRequest AddHeader(string name, string value) { return this; }
    }

    public class RestClient
    {
        public RestClient(string baseUrl) { }
        public IRestResponse Execute(IRestRequest request) { return null; }
        public IRestResponse<T> Execute<T>(IRestRequest request) { return null; }
        public Task<IRestResponse> ExecuteAsync(IRestRequest request) { return Task.FromResult<IRestResponse>(null); }
        public Task<IRestResponse> ExecuteTaskAsync(IRestRequest request) { return Task.FromResult<IRestResponse>(null); }
    }
}
