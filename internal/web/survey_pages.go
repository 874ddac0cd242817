package web

// surveyPageRoutes are the public pages: hosted surveys, the widget and
// its endpoint, unsubscribe.
func (s *Server) surveyPageRoutes() []page {
	return nil
}
