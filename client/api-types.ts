/**
 * Types of the API, generated from infra/openapi/openapi.json by `npm run docs:openapi`
 * (infra/openapi/client-types.ts). Do not edit: test/unit/openapi.test.ts fails when this file is stale.
 */

export interface paths {
  "/auth/send-code": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send a login code by SMS */
    post: operations["authSendCode"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/auth/login": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Log in (or register) with phone and code */
    post: operations["authLogin"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/auth/me": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller’s profile and membership */
    get: operations["authMe"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/auth/logout": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** End every session of the caller */
    post: operations["authLogout"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/auth/wechat/openid": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller’s WeChat openid for JSAPI pay, from an OAuth code */
    get: operations["authWechatOpenid"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/membership/purchase": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Create a membership order and the parameters to pay it */
    post: operations["membershipPurchase"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/membership/status": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Membership, quota and price */
    get: operations["membershipStatus"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/membership/payment-callback": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Payment notifications (WeChat Pay, Alipay); for the platforms only */
    post: operations["membershipPaymentCallback"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/media/sts": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Temporary COS keys to upload one task’s input */
    get: operations["mediaSts"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/task/create": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Create a task (basic_clean or model_pose12); holds 1 quota */
    post: operations["taskCreate"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/task/list": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller’s tasks, newest first */
    get: operations["taskList"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/task/{taskId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One of the caller’s tasks */
    get: operations["taskGet"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/task/runninghub-callback": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** RunningHub’s webhook; for RunningHub only */
    post: operations["taskRunninghubCallback"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/admin/users": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every user, newest first, phones masked */
    get: operations["adminUsers"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/admin/tasks": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every task, newest first */
    get: operations["adminTasks"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/admin/failed-tasks": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Tasks that failed in the last `days` days */
    get: operations["adminFailedTasks"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/admin/payment-anomalies": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Signed payment reports that can never be credited */
    get: operations["adminPaymentAnomalies"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/auth/refresh": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A new access token and refresh token for a refresh token */
    post: operations["authRefresh"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/quota/transactions": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller’s quota ledger, newest first */
    get: operations["quotaTransactions"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/quota/statistics": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Where the caller’s quota went: totals, tasks, the last 12 months */
    get: operations["quotaStatistics"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/membership/orders": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller’s orders, newest first */
    get: operations["membershipOrders"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/membership/orders/{orderId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One of the caller’s orders */
    get: operations["membershipOrder"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/admin/stats": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Users, members, activity, tasks, revenue and refunds by month */
    get: operations["adminStats"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/task/events/{taskId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One of the caller’s tasks’ event trail, oldest first */
    get: operations["taskEvents"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/webhook/secret": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller’s completion-webhook signing secret */
    get: operations["webhookSecret"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/webhook/secret/rotate": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Replace the caller’s completion-webhook signing secret */
    post: operations["webhookRotateSecret"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/admin/orders/{orderId}/refund": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Refund a paid order in full at its platform */
    post: operations["adminOrderRefund"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/openapi.json": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** This OpenAPI document */
    get: operations["systemOpenapi"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/abilities": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** What the app offers: every task type with its price, outputs and input schema */
    get: operations["abilitiesList"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/abilities/{abilityId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One task type’s catalogue entry */
    get: operations["abilitiesGet"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/task/cancel/{taskId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Cancel one of the caller’s processing tasks; its quota comes back */
    post: operations["taskCancel"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/task/retry/{taskId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Re-run a failed or cancelled task as a new task */
    post: operations["taskRetry"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/media/signed-download": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A presigned download URL for one of the caller’s task objects */
    post: operations["mediaSignedDownload"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/admin/vendor-status": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Whether RunningHub, COS and Cloud Infinite answer, with latencies */
    get: operations["adminVendorStatus"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/admin/costs": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** RunningHub coins and run seconds by UTC day and task type */
    get: operations["adminCosts"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}

export type webhooks = Record<string, never>;

export interface components {
  schemas: {
    AuthSendCodeRequest: {
      phone: string;
      captchaTicket?: string;
      captchaRandstr?: string;
    };
    AuthLoginRequest: {
      phone: string;
      code: string;
    };
    MembershipPurchaseRequest: {
      channel: "wx" | "alipay";
      openid?: string;
    };
    TaskCreateRequest: ({
      type: "basic_clean";
      inputImageUrl: string;
      callbackUrl?: string;
      params?: {
        template?: "white_bg" | "studio" | "live";
      };
    }) | ({
      type: "model_pose12";
      inputImageUrl: string;
      callbackUrl?: string;
      params: {
        scene: "street" | "studio" | "indoor";
        category: "shoes" | "dress" | "hoodie" | "coat";
      };
    });
    AuthRefreshRequest: {
      refreshToken: string;
    };
    AdminOrderRefundRequest: {
      reason: string;
    };
    TaskRetryRequest: {
      callbackUrl?: string;
    };
    MediaSignedDownloadRequest: {
      objectKey: string;
      ttl?: number;
    };
    ErrorEnvelope: {
      success: false;
      error: {
        code: number;
        message: string;
        requestId: string;
        details?: (components["schemas"]["FieldIssue"])[];
      };
    };
    FieldIssue: {
      field: string;
      message: string;
    };
    User: {
      id: string;
      phone: string;
      isMember: boolean;
      quota_remaining: number;
      quota_expireAt: (string) | (null);
      createdAt: string;
    };
    Order: {
      orderId: string;
      channel: "wx" | "alipay";
      payMethod: "jsapi" | "h5" | "wap";
      amount: number;
      status: "pending" | "paid" | "failed" | "refunding" | "refunded";
      createdAt: string;
      paidAt: (string) | (null);
      refundedAt: (string) | (null);
    };
    WebhookSecret: {
      secret: string;
      createdAt: string;
      rotatedAt: (string) | (null);
    };
    TaskCounts: {
      total: number;
      byStatus: {
        processing: number;
        done: number;
        failed: number;
        cancelled: number;
      };
      byType: {
        basic_clean: {
          total: number;
          byStatus: {
            processing: number;
            done: number;
            failed: number;
            cancelled: number;
          };
        };
        model_pose12: {
          total: number;
          byStatus: {
            processing: number;
            done: number;
            failed: number;
            cancelled: number;
          };
        };
      };
    };
    Ability: {
      id: "basic_clean" | "model_pose12";
      name: string;
      description: string;
      price: number;
      outputs: {
        count: number;
        kind: "image";
      };
      typicalSeconds: number;
      inputSchema: {
        [key: string]: unknown;
      };
    };
    AuthSendCodeData: {
      expireIn: number;
    };
    AuthSendCodeResponse: {
      success: true;
      data: components["schemas"]["AuthSendCodeData"];
      message?: string;
    };
    AuthLoginData: {
      token: string;
      user: components["schemas"]["User"];
      refreshToken: string;
    };
    AuthLoginResponse: {
      success: true;
      data: components["schemas"]["AuthLoginData"];
      message?: string;
    };
    AuthMeResponse: {
      success: true;
      data: components["schemas"]["User"];
      message?: string;
    };
    AuthLogoutData: {
      loggedOut: true;
    };
    AuthLogoutResponse: {
      success: true;
      data: components["schemas"]["AuthLogoutData"];
      message?: string;
    };
    AuthWechatOpenidData: {
      openid: string;
    };
    AuthWechatOpenidResponse: {
      success: true;
      data: components["schemas"]["AuthWechatOpenidData"];
      message?: string;
    };
    MembershipPurchaseData: {
      orderId: string;
      payParams: ({
        appId: string;
        timeStamp: string;
        nonceStr: string;
        package: string;
        signType: "RSA";
        paySign: string;
      }) | ({
        h5Url: string;
      }) | ({
        payUrl: string;
      });
    };
    MembershipPurchaseResponse: {
      success: true;
      data: components["schemas"]["MembershipPurchaseData"];
      message?: string;
    };
    MembershipStatusData: {
      isMember: boolean;
      quota_remaining: number;
      quota_expireAt: (string) | (null);
      expireDays: number;
      price: number;
    };
    MembershipStatusResponse: {
      success: true;
      data: components["schemas"]["MembershipStatusData"];
      message?: string;
    };
    MediaStsData: {
      credentials: {
        tmpSecretId: string;
        tmpSecretKey: string;
        sessionToken: string;
        expiredTime: number;
      };
      expiredTime: number;
      bucket: string;
      region: string;
      allowPrefix: string;
      taskId: string;
      endpoint?: string;
      cosDomain?: string;
    };
    MediaStsResponse: {
      success: true;
      data: components["schemas"]["MediaStsData"];
      message?: string;
    };
    TaskCreateData: {
      taskId: string;
      status: "processing" | "done" | "failed" | "cancelled";
      createdAt: string;
    };
    TaskCreateResponse: {
      success: true;
      data: components["schemas"]["TaskCreateData"];
      message?: string;
    };
    TaskListData: {
      tasks: ({
        id: string;
        type: "basic_clean" | "model_pose12";
        status: "processing" | "done" | "failed" | "cancelled";
        thumbnail: string | null;
        createdAt: string;
      })[];
      total: number;
      limit: number;
      offset: number;
      nextCursor: string | null;
    };
    TaskListResponse: {
      success: true;
      data: components["schemas"]["TaskListData"];
      message?: string;
    };
    TaskGetData: ({
      id: string;
      type: "basic_clean" | "model_pose12";
      inputUrl: string;
      params: {
        [key: string]: string;
      };
      createdAt: string;
      updatedAt: string;
      progress: number;
      logs: ({
        kind: "created" | "quota_held" | "input_checked" | "moderation" | "vendor_submitted" | "vendor_queued" | "vendor_running" | "frames_copied" | "done" | "failed" | "cancelled" | "quota_confirmed" | "quota_released" | "webhook_delivered" | "webhook_failed";
        level: "info" | "warn" | "error";
        message: string;
        createdAt: string;
      })[];
      status: "processing";
      resultUrls: null;
      resultKeys: null;
    }) | ({
      id: string;
      type: "basic_clean" | "model_pose12";
      inputUrl: string;
      params: {
        [key: string]: string;
      };
      createdAt: string;
      updatedAt: string;
      progress: number;
      logs: ({
        kind: "created" | "quota_held" | "input_checked" | "moderation" | "vendor_submitted" | "vendor_queued" | "vendor_running" | "frames_copied" | "done" | "failed" | "cancelled" | "quota_confirmed" | "quota_released" | "webhook_delivered" | "webhook_failed";
        level: "info" | "warn" | "error";
        message: string;
        createdAt: string;
      })[];
      status: "done";
      resultUrls: (string)[];
      resultKeys: (string)[];
    }) | ({
      id: string;
      type: "basic_clean" | "model_pose12";
      inputUrl: string;
      params: {
        [key: string]: string;
      };
      createdAt: string;
      updatedAt: string;
      progress: number;
      logs: ({
        kind: "created" | "quota_held" | "input_checked" | "moderation" | "vendor_submitted" | "vendor_queued" | "vendor_running" | "frames_copied" | "done" | "failed" | "cancelled" | "quota_confirmed" | "quota_released" | "webhook_delivered" | "webhook_failed";
        level: "info" | "warn" | "error";
        message: string;
        createdAt: string;
      })[];
      status: "failed";
      resultUrls: null;
      resultKeys: null;
      errorCode: number;
      errorReason: string;
    }) | ({
      id: string;
      type: "basic_clean" | "model_pose12";
      inputUrl: string;
      params: {
        [key: string]: string;
      };
      createdAt: string;
      updatedAt: string;
      progress: number;
      logs: ({
        kind: "created" | "quota_held" | "input_checked" | "moderation" | "vendor_submitted" | "vendor_queued" | "vendor_running" | "frames_copied" | "done" | "failed" | "cancelled" | "quota_confirmed" | "quota_released" | "webhook_delivered" | "webhook_failed";
        level: "info" | "warn" | "error";
        message: string;
        createdAt: string;
      })[];
      status: "cancelled";
      resultUrls: null;
      resultKeys: null;
      errorCode: 3004;
      errorReason: string;
    });
    TaskGetResponse: {
      success: true;
      data: components["schemas"]["TaskGetData"];
      message?: string;
    };
    TaskRunninghubCallbackData: {
      status: "processing" | "done" | "failed" | "cancelled";
    };
    TaskRunninghubCallbackResponse: {
      success: true;
      data: components["schemas"]["TaskRunninghubCallbackData"];
      message?: string;
    };
    AdminUsersData: {
      users: (components["schemas"]["User"])[];
      total: number;
      limit: number;
      offset: number;
    };
    AdminUsersResponse: {
      success: true;
      data: components["schemas"]["AdminUsersData"];
      message?: string;
    };
    AdminTasksData: {
      tasks: ({
        id: string;
        userId: string;
        type: "basic_clean" | "model_pose12";
        status: "processing" | "done" | "failed" | "cancelled";
        createdAt: string;
      })[];
      total: number;
      limit: number;
      offset: number;
    };
    AdminTasksResponse: {
      success: true;
      data: components["schemas"]["AdminTasksData"];
      message?: string;
    };
    AdminFailedTasksData: {
      tasks: ({
        id: string;
        userId: string;
        type: "basic_clean" | "model_pose12";
        status: "processing" | "done" | "failed" | "cancelled";
        createdAt: string;
        errorCode: number | null;
        errorReason: string | null;
      })[];
      total: number;
    };
    AdminFailedTasksResponse: {
      success: true;
      data: components["schemas"]["AdminFailedTasksData"];
      message?: string;
    };
    AdminPaymentAnomaliesData: {
      anomalies: ({
        id: number;
        channel: "wx" | "alipay";
        orderId: string | null;
        outTradeNo: string;
        platformTradeNo: string | null;
        reason: string;
        source: "notification" | "query";
        platformState: string | null;
        reportedAmountFen: number | null;
        reportedCurrency: string | null;
        reportedAppId: string | null;
        reportedMerchantId: string | null;
        occurrences: number;
        createdAt: string;
        lastSeenAt: string;
      })[];
      total: number;
      limit: number;
      offset: number;
      days: number;
    };
    AdminPaymentAnomaliesResponse: {
      success: true;
      data: components["schemas"]["AdminPaymentAnomaliesData"];
      message?: string;
    };
    AuthRefreshData: {
      token: string;
      refreshToken: string;
    };
    AuthRefreshResponse: {
      success: true;
      data: components["schemas"]["AuthRefreshData"];
      message?: string;
    };
    QuotaTransactionsData: {
      items: ({
        id: string;
        kind: "grant" | "hold" | "confirm" | "release" | "expire" | "refund";
        delta: number;
        balanceAfter: number;
        reference: string;
        note: string;
        createdAt: string;
      })[];
      nextCursor: string | null;
    };
    QuotaTransactionsResponse: {
      success: true;
      data: components["schemas"]["QuotaTransactionsData"];
      message?: string;
    };
    QuotaStatisticsData: {
      balance: number;
      totals: {
        granted: number;
        used: number;
        returned: number;
        expired: number;
        refunded: number;
        held: number;
      };
      tasks: components["schemas"]["TaskCounts"];
      monthly: ({
        month: string;
        granted: number;
        used: number;
        returned: number;
        expired: number;
        refunded: number;
        tasks: components["schemas"]["TaskCounts"];
      })[];
    };
    QuotaStatisticsResponse: {
      success: true;
      data: components["schemas"]["QuotaStatisticsData"];
      message?: string;
    };
    MembershipOrdersData: {
      items: (components["schemas"]["Order"])[];
      nextCursor: string | null;
    };
    MembershipOrdersResponse: {
      success: true;
      data: components["schemas"]["MembershipOrdersData"];
      message?: string;
    };
    MembershipOrderResponse: {
      success: true;
      data: components["schemas"]["Order"];
      message?: string;
    };
    AdminStatsData: {
      users: {
        total: number;
        members: number;
        active30d: number;
      };
      tasks: components["schemas"]["TaskCounts"];
      monthly: ({
        month: string;
        newUsers: number;
        paidOrders: number;
        revenue: number;
        refundedOrders: number;
        refunds: number;
      })[];
    };
    AdminStatsResponse: {
      success: true;
      data: components["schemas"]["AdminStatsData"];
      message?: string;
    };
    TaskEventsData: {
      taskId: string;
      events: ({
        kind: "created" | "quota_held" | "input_checked" | "moderation" | "vendor_submitted" | "vendor_queued" | "vendor_running" | "frames_copied" | "done" | "failed" | "cancelled" | "quota_confirmed" | "quota_released" | "webhook_delivered" | "webhook_failed";
        level: "info" | "warn" | "error";
        message: string;
        createdAt: string;
        data?: {
          [key: string]: string | number | boolean;
        };
      })[];
    };
    TaskEventsResponse: {
      success: true;
      data: components["schemas"]["TaskEventsData"];
      message?: string;
    };
    WebhookSecretResponse: {
      success: true;
      data: components["schemas"]["WebhookSecret"];
      message?: string;
    };
    WebhookRotateSecretResponse: {
      success: true;
      data: components["schemas"]["WebhookSecret"];
      message?: string;
    };
    AdminOrderRefundData: {
      orderId: string;
      userId: string;
      channel: "wx" | "alipay";
      payMethod: "jsapi" | "h5" | "wap";
      amount: number;
      status: "refunding" | "refunded";
      refundNo: string | null;
      refundReason: string | null;
      createdAt: string;
      paidAt: (string) | (null);
      refundRequestedAt: (string) | (null);
      refundedAt: (string) | (null);
    };
    AdminOrderRefundResponse: {
      success: true;
      data: components["schemas"]["AdminOrderRefundData"];
      message?: string;
    };
    AbilitiesListData: {
      abilities: (components["schemas"]["Ability"])[];
    };
    AbilitiesListResponse: {
      success: true;
      data: components["schemas"]["AbilitiesListData"];
      message?: string;
    };
    AbilitiesGetResponse: {
      success: true;
      data: components["schemas"]["Ability"];
      message?: string;
    };
    TaskCancelResponse: {
      success: true;
      data: components["schemas"]["TaskGetData"];
      message?: string;
    };
    TaskRetryData: {
      taskId: string;
      status: "processing" | "done" | "failed" | "cancelled";
      createdAt: string;
      originalTaskId: string;
    };
    TaskRetryResponse: {
      success: true;
      data: components["schemas"]["TaskRetryData"];
      message?: string;
    };
    MediaSignedDownloadData: {
      url: string;
      expiresAt: string;
    };
    MediaSignedDownloadResponse: {
      success: true;
      data: components["schemas"]["MediaSignedDownloadData"];
      message?: string;
    };
    AdminVendorStatusData: {
      checkedAt: string;
      runningHub: {
        ok: boolean;
        latencyMs: number;
        error?: string;
        account?: {
          remainCoins: string;
          currentTaskCounts: number;
          remainMoney?: string;
          currency?: string;
          apiType?: string;
        };
      };
      cos: {
        ok: boolean;
        latencyMs: number;
        error?: string;
      };
      ci: {
        ok: boolean;
        latencyMs: number;
        error?: string;
      };
    };
    AdminVendorStatusResponse: {
      success: true;
      data: components["schemas"]["AdminVendorStatusData"];
      message?: string;
    };
    AdminCostsData: {
      from: string;
      to: string;
      days: ({
        day: string;
        type: "basic_clean" | "model_pose12";
        coins: number;
        runSeconds: number;
        tasks: {
          processing: number;
          done: number;
          failed: number;
          cancelled: number;
          total: number;
        };
      })[];
      totals: {
        coins: number;
        runSeconds: number;
        tasks: number;
      };
    };
    AdminCostsResponse: {
      success: true;
      data: components["schemas"]["AdminCostsData"];
      message?: string;
    };
    /** 请求参数错误 */
    Error1000: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 1000;
      };
    };
    /** 请先登录 */
    Error1001: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 1001;
      };
    };
    /** 请购买会员后使用 */
    Error1002: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 1002;
      };
    };
    /** 剩余次数不足,请续费 */
    Error1003: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 1003;
      };
    };
    /** 请求过于频繁 */
    Error1004: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 1004;
      };
    };
    /** 请求参数错误 */
    Error1005: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 1005;
      };
    };
    /** 权限不足 */
    Error1006: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 1006;
      };
    };
    /** 资源不存在 */
    Error1007: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 1007;
      };
    };
    /** 不支持的请求方法 */
    Error1008: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 1008;
      };
    };
    /** 请求体过大 */
    Error1009: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 1009;
      };
    };
    /** 请使用 application/json */
    Error1010: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 1010;
      };
    };
    /** 服务繁忙,请稍后重试 */
    Error1011: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 1011;
      };
    };
    /** 任务处理中或已完成,无法重试 */
    Error1012: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 1012;
      };
    };
    /** 未登录或token无效 */
    Error1015: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 1015;
      };
    };
    /** 请求参数错误 */
    Error1016: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 1016;
      };
    };
    /** 请上传 JPG/PNG 格式图片 */
    Error2001: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 2001;
      };
    };
    /** 图片不能超过 10MB */
    Error2002: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 2002;
      };
    };
    /** 未检测到服装,请更换图片 */
    Error2003: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 2003;
      };
    };
    /** 原图已不存在,请重新上传后创建任务 */
    Error2004: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 2004;
      };
    };
    /** 图像处理失败,请重试 */
    Error3001: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 3001;
      };
    };
    /** 生成超时,请稍后重试 */
    Error3002: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 3002;
      };
    };
    /** AI服务暂时不可用,请重试 */
    Error3003: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 3003;
      };
    };
    /** 已取消,已返还配额 */
    Error3004: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 3004;
      };
    };
    /** 内容不符合使用规范,已返还本次次数 */
    Error4001: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 4001;
      };
    };
    /** 支付失败,请重试 */
    Error5001: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 5001;
      };
    };
    /** 订单不存在 */
    Error5002: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 5002;
      };
    };
    /** 订单状态不允许退款 */
    Error5003: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 5003;
      };
    };
    /** 退款失败,请稍后重试 */
    Error5004: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 5004;
      };
    };
    /** 短信发送失败,请稍后重试 */
    Error6001: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 6001;
      };
    };
    /** 微信授权失败,请重试 */
    Error6002: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 6002;
      };
    };
    /** 服务器内部错误 */
    Error9999: components["schemas"]["ErrorEnvelope"] & {
      error?: {
        code?: 9999;
      };
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}

export type $defs = Record<string, never>;

export interface operations {
  authSendCode: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["AuthSendCodeRequest"];
      };
    };
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AuthSendCodeResponse"];
        };
      };
      /** 1000 请求参数错误; 1016 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": (components["schemas"]["Error1000"]) | (components["schemas"]["Error1016"]);
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 1010 请使用 application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1010"];
        };
      };
      /** 1004 请求过于频繁 */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1004"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 6001 短信发送失败,请稍后重试 */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error6001"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  authLogin: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["AuthLoginRequest"];
      };
    };
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AuthLoginResponse"];
        };
      };
      /** 1000 请求参数错误; 1005 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": (components["schemas"]["Error1000"]) | (components["schemas"]["Error1005"]);
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 1010 请使用 application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1010"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  authMe: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AuthMeResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  authLogout: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AuthLogoutResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  authWechatOpenid: {
    parameters: {
      query: {
        code: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AuthWechatOpenidResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 6002 微信授权失败,请重试 */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error6002"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  membershipPurchase: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["MembershipPurchaseRequest"];
      };
    };
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["MembershipPurchaseResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 5001 支付失败,请重试 */
      402: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error5001"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 1010 请使用 application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1010"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  membershipStatus: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["MembershipStatusResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  membershipPaymentCallback: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          id: string;
          resource: {
            ciphertext: string;
          };
        };
        "application/x-www-form-urlencoded": string;
      };
    };
    responses: {
      /** Alipay: handled (`success`) or refused (`fail`) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "text/plain": "success" | "fail";
        };
      };
      /** WeChat Pay: handled */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Malformed or unrecognised notification | 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": ({
            code: "FAIL";
            message: string;
          }) | (components["schemas"]["Error1000"]);
          "text/plain": "success" | "fail";
        };
      };
      /** WeChat Pay: signature verification failed */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            code: "FAIL";
            message: string;
          };
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** Not handled; the platform delivers again | 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": ({
            code: "FAIL";
            message: string;
          }) | (components["schemas"]["Error9999"]);
          "text/plain": "success" | "fail";
        };
      };
      /** Busy; the platform delivers again | 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": ({
            code: "FAIL";
            message: string;
          }) | (components["schemas"]["Error1011"]);
          "text/plain": "success" | "fail";
        };
      };
    };
  };
  mediaSts: {
    parameters: {
      query?: {
        taskId?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["MediaStsResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1002 请购买会员后使用 */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1002"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 1004 请求过于频繁 */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1004"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  taskCreate: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["TaskCreateRequest"];
      };
    };
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["TaskCreateResponse"];
        };
      };
      /** 1000 请求参数错误; 2001 请上传 JPG/PNG 格式图片; 2002 图片不能超过 10MB; 2003 未检测到服装,请更换图片 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": (components["schemas"]["Error1000"]) | (components["schemas"]["Error2001"]) | (components["schemas"]["Error2002"]) | (components["schemas"]["Error2003"]);
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1002 请购买会员后使用; 1003 剩余次数不足,请续费 */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": (components["schemas"]["Error1002"]) | (components["schemas"]["Error1003"]);
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 1010 请使用 application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1010"];
        };
      };
      /** 4001 内容不符合使用规范,已返还本次次数 */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error4001"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 3001 图像处理失败,请重试; 3002 生成超时,请稍后重试; 3003 AI服务暂时不可用,请重试 */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": (components["schemas"]["Error3001"]) | (components["schemas"]["Error3002"]) | (components["schemas"]["Error3003"]);
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  taskList: {
    parameters: {
      query?: {
        limit?: number;
        offset?: number;
        status?: "all" | "processing" | "done" | "failed" | "cancelled";
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["TaskListResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  taskGet: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        taskId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["TaskGetResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  taskRunninghubCallback: {
    parameters: {
      query?: {
        token?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": Record<string, never>;
      };
    };
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["TaskRunninghubCallbackResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** RunningHub could not be asked; deliver again | 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": ({
            success: false;
            retry: true;
          }) | (components["schemas"]["Error1011"]);
        };
      };
    };
  };
  adminUsers: {
    parameters: {
      query?: {
        limit?: number;
        offset?: number;
        isMember?: "true" | "false";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AdminUsersResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1006 权限不足 */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1006"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  adminTasks: {
    parameters: {
      query?: {
        limit?: number;
        offset?: number;
        status?: "processing" | "done" | "failed" | "cancelled" | "all";
        userId?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AdminTasksResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1006 权限不足 */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1006"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  adminFailedTasks: {
    parameters: {
      query?: {
        limit?: number;
        days?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AdminFailedTasksResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1006 权限不足 */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1006"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  adminPaymentAnomalies: {
    parameters: {
      query?: {
        limit?: number;
        offset?: number;
        days?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AdminPaymentAnomaliesResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1006 权限不足 */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1006"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  authRefresh: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["AuthRefreshRequest"];
      };
    };
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AuthRefreshResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1015 未登录或token无效 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1015"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 1010 请使用 application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1010"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  quotaTransactions: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["QuotaTransactionsResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  quotaStatistics: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["QuotaStatisticsResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  membershipOrders: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["MembershipOrdersResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  membershipOrder: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        orderId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["MembershipOrderResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1007 资源不存在; 5002 订单不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": (components["schemas"]["Error1007"]) | (components["schemas"]["Error5002"]);
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  adminStats: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AdminStatsResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1006 权限不足 */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1006"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  taskEvents: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        taskId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["TaskEventsResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  webhookSecret: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WebhookSecretResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  webhookRotateSecret: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WebhookRotateSecretResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  adminOrderRefund: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        orderId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["AdminOrderRefundRequest"];
      };
    };
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AdminOrderRefundResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1006 权限不足 */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1006"];
        };
      };
      /** 1007 资源不存在; 5002 订单不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": (components["schemas"]["Error1007"]) | (components["schemas"]["Error5002"]);
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 5003 订单状态不允许退款 */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error5003"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 1010 请使用 application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1010"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 5004 退款失败,请稍后重试 */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error5004"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  systemOpenapi: {
    parameters: {
      query?: {
        version?: "3.1" | "3.0";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** The document */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            openapi: string;
            paths: {
              [key: string]: unknown;
            };
            [key: string]: unknown;
          };
        };
      };
      /** Not modified (If-None-Match) */
      304: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  abilitiesList: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AbilitiesListResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  abilitiesGet: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        abilityId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AbilitiesGetResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  taskCancel: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        taskId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["TaskCancelResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  taskRetry: {
    parameters: {
      query?: never;
      header?: {
        "Idempotency-Key"?: string;
      };
      path: {
        taskId: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        "application/json": components["schemas"]["TaskRetryRequest"];
      };
    };
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["TaskRetryResponse"];
        };
      };
      /** 1000 请求参数错误; 2001 请上传 JPG/PNG 格式图片; 2002 图片不能超过 10MB; 2003 未检测到服装,请更换图片 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": (components["schemas"]["Error1000"]) | (components["schemas"]["Error2001"]) | (components["schemas"]["Error2002"]) | (components["schemas"]["Error2003"]);
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1002 请购买会员后使用; 1003 剩余次数不足,请续费 */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": (components["schemas"]["Error1002"]) | (components["schemas"]["Error1003"]);
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1012 任务处理中或已完成,无法重试 */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1012"];
        };
      };
      /** 2004 原图已不存在,请重新上传后创建任务 */
      410: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error2004"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 1010 请使用 application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1010"];
        };
      };
      /** 4001 内容不符合使用规范,已返还本次次数 */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error4001"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 3001 图像处理失败,请重试; 3002 生成超时,请稍后重试; 3003 AI服务暂时不可用,请重试 */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": (components["schemas"]["Error3001"]) | (components["schemas"]["Error3002"]) | (components["schemas"]["Error3003"]);
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  mediaSignedDownload: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["MediaSignedDownloadRequest"];
      };
    };
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["MediaSignedDownloadResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 1010 请使用 application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1010"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  adminVendorStatus: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AdminVendorStatusResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1006 权限不足 */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1006"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
  adminCosts: {
    parameters: {
      query?: {
        from?: string;
        to?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** Success: the envelope with `data` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AdminCostsResponse"];
        };
      };
      /** 1000 请求参数错误 */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1000"];
        };
      };
      /** 1001 请先登录 */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1001"];
        };
      };
      /** 1006 权限不足 */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1006"];
        };
      };
      /** 1007 资源不存在 */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1007"];
        };
      };
      /** 1008 不支持的请求方法 */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1008"];
        };
      };
      /** 1009 请求体过大 */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1009"];
        };
      };
      /** 9999 服务器内部错误 */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error9999"];
        };
      };
      /** 1011 服务繁忙,请稍后重试 */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error1011"];
        };
      };
    };
  };
}
