package chalice

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// WebsocketAPI talks to the clients of a websocket API through API
// Gateway's management API (@connections): Send a message, Close a
// connection, get its Info. Get one from an event with
// (WebsocketEvent).API(), which points it at the API and stage the event
// came from.
//
// Requests are signed with SigV4 from the function's credentials (the
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN Lambda
// sets). chalc builds this on aws-sdk-go-v2's signer rather than on its
// apigatewaymanagementapi client: that module is not available from chalc's
// module proxy, and the three calls are plain HTTP; it also keeps the
// bootstrap small. The role needs execute-api:ManageConnections, which
// chalc grants when the app has a websocket.
type WebsocketAPI struct {
	// Endpoint is https://{api-id}.execute-api.{region}.amazonaws.com/{stage}.
	Endpoint string
	// Region signs the requests.
	Region string
	// HTTPClient defaults to http.DefaultClient.
	HTTPClient *http.Client
	// Credentials defaults to the environment's.
	Credentials func(context.Context) (aws.Credentials, error)

	// unsigned: the endpoint is `chalc local`'s, which needs no signature.
	unsigned bool
}

// API returns the management API of the websocket API e came from.
// AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI (the AWS SDKs' variable for
// this service) overrides the endpoint's scheme and host, as in tests.
//
// Under `chalc local`, CHALC_WEBSOCKET_ENDPOINT holds the local server's
// management API (runtime/devserver sets it): requests go there,
// unsigned, and reach the clients connected to the local server; no AWS
// credentials are needed.
func (e WebsocketEvent) API() *WebsocketAPI {
	region := os.Getenv("AWS_REGION")
	if u := os.Getenv("CHALC_WEBSOCKET_ENDPOINT"); u != "" {
		return &WebsocketAPI{Endpoint: strings.TrimRight(u, "/") + "/" + e.Stage, Region: region, unsigned: true}
	}
	if u := os.Getenv("AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI"); u != "" {
		return &WebsocketAPI{Endpoint: strings.TrimRight(u, "/") + "/" + e.Stage, Region: region}
	}
	suffix := "amazonaws.com"
	if strings.HasPrefix(region, "cn-") {
		suffix = "amazonaws.com.cn"
	}
	host := e.DomainName
	if id := e.RequestContext.APIID; id != "" && region != "" {
		// The execute-api host works with custom domains too.
		host = id + ".execute-api." + region + "." + suffix
	}
	return &WebsocketAPI{Endpoint: "https://" + host + "/" + e.Stage, Region: region}
}

// WebsocketDisconnectedError is returned when the client is gone (API
// Gateway's 410 Gone).
type WebsocketDisconnectedError struct {
	ConnectionID string
}

func (e *WebsocketDisconnectedError) Error() string {
	return "websocket connection " + e.ConnectionID + " is gone"
}

// ConnectionInfo describes a connection (GET @connections/{id}).
type ConnectionInfo struct {
	ConnectedAt  time.Time `json:"connectedAt"`
	LastActiveAt time.Time `json:"lastActiveAt"`
	Identity     struct {
		SourceIP  string `json:"sourceIp"`
		UserAgent string `json:"userAgent"`
	} `json:"identity"`
}

// Send sends data to the client of connectionID.
func (w *WebsocketAPI) Send(ctx context.Context, connectionID string, data []byte) error {
	_, err := w.do(ctx, http.MethodPost, connectionID, data)
	return err
}

// Close disconnects the client of connectionID.
func (w *WebsocketAPI) Close(ctx context.Context, connectionID string) error {
	_, err := w.do(ctx, http.MethodDelete, connectionID, nil)
	return err
}

// Info describes the connection.
func (w *WebsocketAPI) Info(ctx context.Context, connectionID string) (ConnectionInfo, error) {
	var info ConnectionInfo
	body, err := w.do(ctx, http.MethodGet, connectionID, nil)
	if err != nil {
		return info, err
	}
	if err := json.Unmarshal(body, &info); err != nil {
		return info, fmt.Errorf("websocket: reading connection info: %w", err)
	}
	return info, nil
}

func envCredentials(context.Context) (aws.Credentials, error) {
	c := aws.Credentials{
		AccessKeyID:     os.Getenv("AWS_ACCESS_KEY_ID"),
		SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY"),
		SessionToken:    os.Getenv("AWS_SESSION_TOKEN"),
	}
	if c.AccessKeyID == "" || c.SecretAccessKey == "" {
		return c, errors.New("websocket: no AWS credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)")
	}
	return c, nil
}

func (w *WebsocketAPI) do(ctx context.Context, method, connectionID string, body []byte) ([]byte, error) {
	if w.Endpoint == "" {
		return nil, errors.New("websocket: no endpoint; use WebsocketEvent.API()")
	}
	u := strings.TrimRight(w.Endpoint, "/") + "/@connections/" + url.PathEscape(connectionID)
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if !w.unsigned {
		creds := w.Credentials
		if creds == nil {
			creds = envCredentials
		}
		c, err := creds(ctx)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(body)
		if err := v4.NewSigner().SignHTTP(ctx, c, req, hex.EncodeToString(sum[:]), "execute-api", w.Region, time.Now()); err != nil {
			return nil, fmt.Errorf("websocket: signing: %w", err)
		}
	}
	client := w.HTTPClient
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("websocket: %s %s: %w", method, connectionID, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	switch {
	case resp.StatusCode == http.StatusGone:
		return nil, &WebsocketDisconnectedError{ConnectionID: connectionID}
	case resp.StatusCode/100 != 2:
		return nil, fmt.Errorf("websocket: %s %s: %s: %s", method, connectionID, resp.Status, strings.TrimSpace(string(out)))
	}
	return out, nil
}
